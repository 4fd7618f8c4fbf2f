using System.Net.Sockets;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class ListenerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-listener-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Disposing_a_unix_listener_removes_the_socket_file_it_bound()
    {
        string path = Path.Combine(_directory, "control.sock");
        Listener listener = ListenerFactory.Open(BindAddress.Parse("unix:" + path), backlog: 4);
        File.Exists(path).Should().BeTrue();

        listener.Dispose();

        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Disposing_a_unix_listener_leaves_the_socket_file_a_successor_bound_at_the_same_path()
    {
        // The hand-over race: a successor master replaced the path with its own socket before the
        // old master's listener was disposed. The old master must not unlink the successor's file.
        string path = Path.Combine(_directory, "control.sock");
        Listener old = ListenerFactory.Open(BindAddress.Parse("unix:" + path), backlog: 4);
        File.Delete(path);
        using var successor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        successor.Bind(new UnixDomainSocketEndPoint(path));
        successor.Listen(4);

        old.Dispose();

        File.Exists(path).Should().BeTrue("the file is the successor's");
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        client.Connected.Should().BeTrue();
    }
}
