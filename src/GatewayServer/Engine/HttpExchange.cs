using System.Net;
using System.Security.Cryptography.X509Certificates;
using GatewayServer.Http;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// What an app model sees of one request on a connection: the parsed head, the connection's
/// endpoints and TLS state, the body, and the response framer. One instance per connection, reused
/// for each request; an app model reads the head's bytes directly rather than an environ.
/// </summary>
internal sealed class HttpExchange
{
    private readonly HttpConnection _connection;
    private ForwardedRequest _forwarded;
    private long _forwardedRequest;
    private bool? _trustsPeer;

    public HttpExchange(HttpConnection connection, RequestBodyReader body, HttpResponse response, EngineContext context)
    {
        _connection = connection;
        Body = body;
        Response = response;
        Context = context;
    }

    public RequestHead Head => _connection.Head;

    /// <summary>The body of the current request: synchronous and asynchronous reads, 100-continue inside.</summary>
    public RequestBodyReader Body { get; }

    /// <summary>Frames the current response: status, headers, body, trailers.</summary>
    public HttpResponse Response { get; }

    /// <summary>What every connection of the worker shares (limits, proxy trust, the log).</summary>
    public EngineContext Context { get; }

    public ConnectionOutput Output => _connection.Output;

    /// <summary>The request id and access-log bookkeeping; null when both are off.</summary>
    public RequestTrace? Trace => _connection.Trace;

    /// <summary>Whether the rest of the request body has arrived, so reading it never waits for the client.</summary>
    public bool BodyBuffered => _connection.BodyBuffered;

    /// <summary>The client: the socket's peer, or the one a trusted PROXY protocol header named.</summary>
    public EndPoint? RemoteEndPoint => _connection.RemoteEndPoint;

    public EndPoint? LocalEndPoint => _connection.LocalEndPoint;

    /// <summary>
    /// What a trusted proxy's headers say about the current request (the client, the scheme, the
    /// host, the path base); all null when the peer is not trusted or said nothing. Worked out on
    /// first use in each request (<see cref="ProxyTrust"/>) and kept for the rest of it.
    /// </summary>
    public ForwardedRequest Forwarded
    {
        get
        {
            long request = _connection.RequestCount;
            if (_forwardedRequest != request)
            {
                // The peer is fixed once the connection's handshake is over (before its first request).
                _forwarded = ProxyTrust.Resolve(this, _trustsPeer ??= ProxyTrust.TrustsPeer(this));
                _forwardedRequest = request;
            }

            return _forwarded;
        }
    }

    public bool IsUnixSocket => _connection.IsUnixSocket;

    public bool IsTls => _connection.IsTls;

    public X509Certificate2? ClientCertificate => _connection.ClientCertificate;

    /// <summary>Whether the connection may carry another request once this response is complete.</summary>
    public bool MayKeepAlive => _connection.MayKeepAlive;

    /// <summary>Cancelled when the client goes away or the worker gives up on in-flight requests.</summary>
    public CancellationToken RequestAborted => _connection.RequestAborted;

    /// <summary>Whether the current request may switch protocols now (see <see cref="HttpConnection.CanUpgrade"/>).</summary>
    public bool CanUpgrade => _connection.CanUpgrade;

    /// <summary>Switches protocols: <paramref name="writeHead"/> writes the 101 head, and the connection becomes the stream returned (see <see cref="HttpConnection.Upgrade"/>).</summary>
    public Stream Upgrade(Action<HttpResponse> writeHead, bool closesWithRequest) => _connection.Upgrade(writeHead, closesWithRequest);

    /// <summary>Gives up on the connection now (the app's <c>HttpContext.Abort()</c>).</summary>
    public void Abort() => _connection.Abort();
}
