using System.Net.Security;
using System.Net.Sockets;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// The end of a connection: what is buffered goes out, TLS says close_notify, the sending side
/// shuts, and, when the client may still be sending (an error answered mid-request), its bytes are
/// read and dropped for a moment, so the kernel does not answer them with a reset that destroys the
/// response in flight. Then everything the connection holds is released, whatever failed before.
/// </summary>
internal static class ConnectionTeardown
{
    public static async ValueTask CloseAsync(Socket socket, SslStream? tls, ConnectionInput input, ConnectionOutput output, bool linger)
    {
        try
        {
            await output.FlushAsync().ConfigureAwait(false);
            if (tls is not null)
            {
                // close_notify (RFC 8446 section 6.1), so the client can tell the end from a truncation.
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            socket.Shutdown(SocketShutdown.Send);
            if (linger)
            {
                await input.LingerAsync().ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Closing anyway.
        }
        finally
        {
            tls?.Dispose();
            socket.Dispose();
            input.Dispose();
            output.Dispose();
        }
    }
}
