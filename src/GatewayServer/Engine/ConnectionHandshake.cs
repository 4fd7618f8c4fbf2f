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
/// It is timed against the first request's head timeout, whose clock starts at accept. The
/// connection reads what it found (<see cref="Client"/>, <see cref="Tls"/>) once it is over: made
/// only on listeners that need it, so plain connections carry none.
/// </summary>
internal sealed class ConnectionHandshake
{
    private readonly Socket _socket;
    private readonly EngineContext _context;
    private readonly TimeoutControl _timeouts;

    public ConnectionHandshake(Socket socket, EngineContext context, TimeoutControl timeouts)
    {
        _socket = socket;
        _context = context;
        _timeouts = timeouts;
    }

    /// <summary>The client a trusted PROXY header named, if one did.</summary>
    public EndPoint? Client { get; private set; }

    /// <summary>The TLS stream reads and writes go through from now on, on a TLS listener.</summary>
    public SslStream? Tls { get; private set; }

    /// <summary>Whether the listeners' connections begin with a handshake at all.</summary>
    public static bool IsNeeded(EngineContext context) => context.ProxyProtocolAllowIps is not null || context.Tls is not null;

    /// <summary>Runs the handshake. Returns false, having logged why, when the connection is to be closed.</summary>
    public async ValueTask<bool> RunAsync()
    {
        CancellationToken cancellation = _timeouts.Token;
        _timeouts.StartHandshake();
        Exception? failure = null;
        TimeoutReason expired;
        try
        {
            if (_context.ProxyProtocolAllowIps is { } proxies && (_socket.RemoteEndPoint is not IPEndPoint peer || proxies.Allows(peer.Address)))
            {
                Client = await ProxyHeaderReader.ReadAsync(_socket, cancellation).ConfigureAwait(false);
            }

            if (_context.Tls is { } tls)
            {
                Tls = await tls.AuthenticateAsync(_socket, cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is InvalidDataException or AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            failure = error;
        }
        finally
        {
            expired = _timeouts.StopWait();
        }

        if (failure is null && expired != TimeoutReason.None)
        {
            // Over just as the sweep claimed it: it ends as the cancellation would have ended it.
            Tls?.Dispose();
            Tls = null;
            failure = new OperationCanceledException(cancellation);
        }

        if (failure is not null)
        {
            _context.Log.ConnectionError(failure);
            return false;
        }

        return true;
    }
}
