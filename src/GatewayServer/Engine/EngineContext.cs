using GatewayServer.Http;
using GatewayServer.Http.Response;
using GatewayServer.Logging;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>What every connection of a worker shares: the application, the limits and the server's own settings.</summary>
internal sealed class EngineContext
{
    public EngineContext(IAppModel application, HttpLimits limits, TimeProvider time, IServerLog log)
    {
        Application = application;
        Limits = limits;
        Time = time;
        Log = log;
        Date = new DateHeaderValue(time);
    }

    /// <summary>The app model every connection hands its requests to (<see cref="IAppModel.CreateHandler"/>).</summary>
    public IAppModel Application { get; }

    public HttpLimits Limits { get; }

    public TimeProvider Time { get; }

    public IServerLog Log { get; }

    public DateHeaderValue Date { get; }

    /// <summary>The worker's event loop, which plain (non-TLS) connections wait on; null to wait through .NET's socket engine.</summary>
    public ReadinessLoop? Loop { get; init; }

    /// <summary>The mount prefix reported as <c>SCRIPT_NAME</c>.</summary>
    public string ScriptName { get; init; } = string.Empty;

    /// <summary>Whether more than one worker process serves the application.</summary>
    public bool Multiprocess { get; init; }

    /// <summary>How long a client may take to send a whole request head.</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle keep-alive connection is kept open.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The "Server: ...\r\n" line, or empty to send none.</summary>
    public byte[] ServerHeaderLine { get; init; } = "Server: gwserve\r\n"u8.ToArray();

    /// <summary>Where each response is logged; null when the access log is off.</summary>
    public IAccessLog? AccessLog { get; init; }

    /// <summary>Whether requests get an id (<c>--request-id</c>).</summary>
    public RequestIdMode RequestIds { get; init; }

    /// <summary>
    /// The peers whose Forwarded and X-Forwarded-* headers change the environ
    /// (<c>--forwarded-allow-ips</c>); Unix-socket peers are always trusted.
    /// </summary>
    public AddressAllowList ForwardedAllowIps { get; init; } = AddressAllowList.Loopback; // built without parsing: no first-call JIT on the way to the first response

    /// <summary>The proxy headers believed from those peers (<c>--forwarded-headers</c>): the ones the operator's proxy sets.</summary>
    public ForwardedHeaders ForwardedHeaders { get; init; } = ForwardedHeaders.Default;

    /// <summary>
    /// The peers that must begin their connections with a PROXY protocol header
    /// (<c>--proxy-allow-ips</c>); null when <c>--proxy-protocol</c> is off.
    /// </summary>
    public AddressAllowList? ProxyProtocolAllowIps { get; init; }

    /// <summary>The certificate and handshake options when the listeners speak TLS; null for plain HTTP.</summary>
    public TlsServer? Tls { get; init; }

    /// <summary>Set when the worker stops: connections finish their current request and close.</summary>
    /// <remarks>Set by the worker's stop path and read by every event-loop thread: volatile, so a loop
    /// sees it on its next response rather than whenever its cached copy happens to be refreshed.</remarks>
    public bool Stopping
    {
        get => Volatile.Read(ref _stopping);
        set => Volatile.Write(ref _stopping, value);
    }

    /// <summary>How long a request may run before it is answered 504 (if nothing was sent yet); zero for no limit.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>The request count at which <see cref="RequestLimitReached"/> is called (<c>--max-requests</c>).</summary>
    public long RequestLimit { get; init; } = long.MaxValue;

    /// <summary>Called once, on the thread of the request that reaches <see cref="RequestLimit"/>.</summary>
    public Action? RequestLimitReached { get; init; }

    /// <summary>Called by each connection as the last thing it does, however it ended.</summary>
    public Action<HttpConnection>? ConnectionClosed { get; init; }

    /// <summary>Where connections count requests, bytes and errors; null when metrics are off (<c>--metrics-bind</c>, <c>--control-socket</c>).</summary>
    public ServerMetrics? Metrics { get; init; }

    /// <summary>Called when the app still holds a timed-out request at twice the request timeout.</summary>
    public Action? RequestAbandoned { get; init; }

    private bool _stopping;

    /// <summary>Counts requests served, for the master's view of the worker.</summary>
    public long RequestCount;
}
