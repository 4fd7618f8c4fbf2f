using System.Globalization;
using System.Net;
using GatewayServer.Engine;
using GatewayServer.Http;

namespace GatewayServer.Owin;

/// <summary>
/// The OWIN 1.0 environment of a connection's requests (OWIN spec section 3.2), filled straight
/// from the <see cref="HttpExchange"/>'s head: the request keys, the response keys the app fills
/// in, <c>owin.CallCancelled</c>, and the common <c>server.*</c>/<c>host.*</c>/<c>ssl.*</c> keys.
/// One dictionary per connection, cleared and refilled for each request: the app may keep it only
/// while its request runs. What a trusted proxy's headers say replaces the scheme, the client, the
/// <c>Host</c> header and the path base, as the engine decided once for the request.
/// </summary>
internal sealed class OwinEnvironment
{
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly HttpExchange _exchange;
    private readonly TextWriter _traceOutput;
    private readonly Dictionary<string, string[]> _requestHeaders = new(16, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _responseHeaders = new(8, StringComparer.OrdinalIgnoreCase);
    private readonly OwinRequestHeaders _headerReader = new();
    private readonly RequestBodyStream _requestBody;
    private object? _callCancelled;
    private PeerStrings _peer;
    private PeerStrings _local;

    public OwinEnvironment(HttpExchange exchange, TextWriter traceOutput, Stream responseBody, Action<Action<object>, object> onSendingHeaders)
    {
        _exchange = exchange;
        _traceOutput = traceOutput;
        _requestBody = new RequestBodyStream(exchange);
        ResponseBody = responseBody;
        OnSendingHeaders = onSendingHeaders;
    }

    /// <summary>The dictionary handed to the app.</summary>
    public Dictionary<string, object> Values { get; } = new(32, StringComparer.Ordinal);

    /// <summary>The current request's <c>owin.RequestHeaders</c>.</summary>
    public IReadOnlyDictionary<string, string[]> RequestHeaders => _requestHeaders;

    private Stream ResponseBody { get; }

    private Action<Action<object>, object> OnSendingHeaders { get; }

    /// <summary>Refills <see cref="Values"/> for the exchange's current request.</summary>
    public void Reset()
    {
        Dictionary<string, object> values = Values;
        values.Clear();
        _requestHeaders.Clear();
        _responseHeaders.Clear();
        RequestHead head = _exchange.Head;
        ForwardedRequest forwarded = _exchange.Forwarded;
        (string pathBase, string path) = ApplicationPath.Split(head, _exchange.Context.ScriptName, forwarded.Prefix);
        _headerReader.Fill(_requestHeaders, head);
        if (forwarded.Host is { } host)
        {
            _requestHeaders["Host"] = [host];
        }

        values[OwinKeys.Version] = "1.0";
        values[OwinKeys.CallCancelled] = CallCancelled();
        values[OwinKeys.RequestMethod] = KnownMethods.GetString(head[head.Method]);
        values[OwinKeys.RequestScheme] = forwarded.Scheme ?? (_exchange.IsTls ? "https" : "http");
        values[OwinKeys.RequestPathBase] = pathBase;
        values[OwinKeys.RequestPath] = path;
        values[OwinKeys.RequestQueryString] = head.Query.IsEmpty ? string.Empty : HttpRequestParser.DecodeLatin1(head[head.Query]);
        values[OwinKeys.RequestProtocol] = head.Version == Http.HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";
        values[OwinKeys.RequestHeaders] = _requestHeaders;
        values[OwinKeys.RequestBody] = _requestBody;
        values[OwinKeys.ResponseHeaders] = _responseHeaders;
        values[OwinKeys.ResponseBody] = ResponseBody;
        values[OwinKeys.OnSendingHeaders] = OnSendingHeaders;
        values[OwinKeys.TraceOutput] = _traceOutput;
        AddClient(values, forwarded);
        PeerStrings local = _local.Address is null ? _local = PeerStrings.Of(_exchange.LocalEndPoint) : _local;
        values[OwinKeys.LocalIpAddress] = local.Address!;
        values[OwinKeys.LocalPort] = local.Port!;
        if (_exchange.ClientCertificate is { } certificate)
        {
            values[OwinKeys.ClientCertificate] = certificate;
        }
    }

    /// <summary>Drops what the last request held (its strings, the app's headers), for an upgraded connection.</summary>
    public void Release()
    {
        Values.Clear();
        _requestHeaders.Clear();
        _responseHeaders.Clear();
    }

    private void AddClient(Dictionary<string, object> values, ForwardedRequest forwarded)
    {
        if (forwarded.ClientAddress is { } address)
        {
            values[OwinKeys.RemoteIpAddress] = address;
            values[OwinKeys.RemotePort] = forwarded.ClientPort ?? string.Empty;
            values[OwinKeys.IsLocal] = IPAddress.TryParse(address.Trim('[', ']'), out IPAddress? client) && IPAddress.IsLoopback(client) ? True : False;
            return;
        }

        // The connection's own peer: worked out once, every request of the connection has it.
        PeerStrings peer = _peer.Address is null ? _peer = PeerStrings.Of(_exchange.RemoteEndPoint) : _peer;
        values[OwinKeys.RemoteIpAddress] = peer.Address!;
        values[OwinKeys.RemotePort] = peer.Port!;
        values[OwinKeys.IsLocal] = peer.IsLoopback ? True : False;
    }

    /// <summary>The abort token, boxed once per connection: it is the same token for each of its requests.</summary>
    private object CallCancelled()
    {
        CancellationToken token = _exchange.RequestAborted;
        if (_callCancelled is not CancellationToken boxed || boxed != token)
        {
            _callCancelled = token;
        }

        return _callCancelled;
    }

    /// <summary>An endpoint as the OWIN keys spell it: empty strings for a Unix socket.</summary>
    private readonly record struct PeerStrings(string? Address, string? Port, bool IsLoopback)
    {
        public static PeerStrings Of(EndPoint? endPoint) => endPoint is IPEndPoint ip
            ? new(ip.Address.ToString(), ip.Port.ToString(CultureInfo.InvariantCulture), IPAddress.IsLoopback(ip.Address))
            : new(string.Empty, string.Empty, false);
    }
}
