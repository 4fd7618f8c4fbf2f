using System.Net;
using System.Net.Sockets;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

public sealed class BindingTests
{
    private static readonly string Hello = RepositoryLayout.Sample("HelloApp") + ":App";

    [Fact]
    public async Task Two_bind_addresses_on_two_ports_both_serve()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Hello, 1, "--bind", "127.0.0.1:0");

        IReadOnlyList<int> ports = server.ListeningPorts;
        ports.Should().HaveCount(2).And.OnlyHaveUniqueItems();
        foreach (int port in ports)
        {
            await ExpectHelloAsync(IPAddress.Loopback, port);
        }
    }

    [IPv6LoopbackFact]
    public async Task IPv4_and_IPv6_loopback_binds_both_serve()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Hello, 1, "--bind", "[::1]:0");

        server.Lines.Should().Contain(l => l.Contains("Listening at: http://[::1]:", StringComparison.Ordinal));
        IReadOnlyList<int> ports = server.ListeningPorts;
        ports.Should().HaveCount(2);
        await ExpectHelloAsync(IPAddress.Loopback, ports[0]);
        await ExpectHelloAsync(IPAddress.IPv6Loopback, ports[1]);
    }

    private static async Task ExpectHelloAsync(IPAddress address, int port)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(address, port);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();
        response.Status.Should().Be(200);
        response.BodyText.Should().Be("Hello, World!");
    }

    /// <summary>A fact that is skipped, saying why, on machines without an IPv6 loopback address.</summary>
    private sealed class IPv6LoopbackFactAttribute : FactAttribute
    {
        public IPv6LoopbackFactAttribute()
        {
            if (!HasIPv6Loopback())
            {
                Skip = "this machine has no IPv6 loopback (::1)";
            }
        }

        private static bool HasIPv6Loopback()
        {
            if (!Socket.OSSupportsIPv6)
            {
                return false;
            }

            try
            {
                using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
