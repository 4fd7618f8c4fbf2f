using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// What comes before the first request on some listeners: the PROXY protocol header, then the
/// TLS handshake (a load balancer sends its header before the client's ClientHello). A failure
/// closes the connection without a word, since there is no HTTP to answer in yet; it is logged.
/// It returns <see cref="ValueTask{Boolean}"/>, as the connection's request processing does, so
/// the connection's state machine, which lives as long as the connection, gains no awaiter field.
/// </summary>
internal static class ConnectionHandshake
{
    /// <summary>Whether the listeners' connections begin with a handshake at all.</summary>
    public static bool IsNeeded(EngineContext context) => context.ProxyProtocolAllowIps is not null || context.Tls is not null;

    /// <summary>
    /// Runs the handshake on <paramref name="socket"/>, giving <paramref name="connection"/> the
    /// client a PROXY header names and the TLS stream. The caller times it, through
    /// <paramref name="cancellation"/>, as the connection owns the head timeout. Returns false,
    /// having logged why, when the connection is to be closed.
    /// </summary>
    public static async ValueTask<bool> RunAsync(HttpConnection connection, Socket socket, EngineContext context, CancellationToken cancellation)
    {
        try
        {
            if (context.ProxyProtocolAllowIps is { } proxies && (socket.RemoteEndPoint is not IPEndPoint peer || proxies.Allows(peer.Address)))
            {
                if (await ProxyHeaderReader.ReadAsync(socket, cancellation).ConfigureAwait(false) is { } client)
                {
                    connection.RemoteEndPoint = client;
                }
            }

            if (context.Tls is { } tls)
            {
                SslStream stream = await tls.AuthenticateAsync(socket, cancellation).ConfigureAwait(false);
                connection.UseTls(stream);
            }

            return true;
        }
        catch (Exception error) when (error is InvalidDataException or AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            context.Log.ConnectionError(error);
            return false;
        }
    }
}
