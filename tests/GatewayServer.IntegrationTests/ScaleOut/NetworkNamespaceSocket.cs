using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// Sockets that belong to a network namespace this test made, for clients in this process: a socket
/// belongs to the namespace of the thread that creates it, so a short-lived thread enters the
/// namespace (setns(2)), creates the socket and ends. No other thread of the process ever moves.
/// </summary>
public static partial class NetworkNamespaceSocket
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnlyCloseOnExec = 0x80000;

    public static Socket Create(string networkNamespace)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // FileStream would seek, which a namespace file refuses.
                int target = open("/run/netns/" + networkNamespace, ReadOnlyCloseOnExec);
                if (target < 0)
                {
                    throw new InvalidOperationException($"cannot open /run/netns/{networkNamespace}: errno {Marshal.GetLastPInvokeError()}");
                }

                int entered = setns(target, CloneNewNet);
                int error = Marshal.GetLastPInvokeError();
                close(target);
                if (entered != 0)
                {
                    throw new InvalidOperationException($"setns to {networkNamespace} failed: errno {error}");
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("cannot create a socket in " + networkNamespace, failure);
    }

    /// <summary>An HttpClient connect callback whose connections start in <paramref name="networkNamespace"/>.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connector(string networkNamespace) =>
        async (context, cancellation) =>
        {
            Socket socket = Create(networkNamespace);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
