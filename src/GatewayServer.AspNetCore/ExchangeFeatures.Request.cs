using System.Text;
using GatewayServer.Engine;
using GatewayServer.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GatewayServer.AspNetCore;

/// <summary>The request side: what the head says, the body stream and its size limit.</summary>
internal abstract partial class ExchangeFeatures :
    IHttpRequestFeature,
    IHttpRequestBodyDetectionFeature,
    IHttpMaxRequestBodySizeFeature,
    IHttpBodyControlFeature,
    IHttpRequestIdentifierFeature
{
    private readonly HeaderDictionary _requestHeaders = new();
    private readonly RequestBodyStream _requestBody;
    private readonly RepeatedStrings _repeated = new();
    private string? _parsedTarget;
    private string _parsedPath = "/";
    private string _parsedQuery = string.Empty;
    private Stream? _requestBodyOverride;
    private string? _traceIdentifier;

    public string Protocol { get; set; } = HttpProtocol.Http11;

    public string Scheme { get; set; } = "http";

    public string Method { get; set; } = HttpMethods.Get;

    public string PathBase { get; set; } = string.Empty;

    public string Path { get; set; } = "/";

    public string QueryString { get; set; } = string.Empty;

    public string RawTarget { get; set; } = "/";

    IHeaderDictionary IHttpRequestFeature.Headers
    {
        get => _requestHeaders;
        set => throw new NotSupportedException("gwserve keeps its own request header dictionary");
    }

    Stream IHttpRequestFeature.Body
    {
        get => _requestBodyOverride ?? _requestBody;
        set => _requestBodyOverride = value;
    }

    public bool CanHaveBody { get; private set; }

    /// <summary>Read-only once the app has started reading the body, as under Kestrel.</summary>
    bool IHttpMaxRequestBodySizeFeature.IsReadOnly => _requestBody.Started;

    public long? MaxRequestBodySize
    {
        get => _maxRequestBodySize;
        set
        {
            if (_requestBody.Started)
            {
                throw new InvalidOperationException("The maximum request body size cannot be changed after the request body has started to be read.");
            }

            _maxRequestBodySize = value;
        }
    }

    /// <summary>Off by default, as under Kestrel: a synchronous read or write throws.</summary>
    public bool AllowSynchronousIO { get; set; }

    public string TraceIdentifier
    {
        get => _traceIdentifier ??= $"{ConnectionId}:{_requestNumber:X8}";
        set => _traceIdentifier = value;
    }

    /// <summary>
    /// Kestrel's default <c>MaxRequestBodySize</c> (about 28.6 MiB), which apps are written against:
    /// without --limit-request-body a larger body is answered 413 unless the app raises or lifts it.
    /// </summary>
    private const long KestrelMaxRequestBodySize = 30_000_000;

    private long? _maxRequestBodySize;
    private long _requestNumber;

    /// <summary>The engine's reader of the current request's body.</summary>
    internal RequestBodyReader BodyReader => Exchange.Body;

    /// <summary>Whether reading the body failed (too large, malformed, too slow): the connection cannot carry another request.</summary>
    protected bool RequestBodyFailed => _requestBody.Failed;

    internal void ThrowUnlessSynchronousIO()
    {
        if (!AllowSynchronousIO)
        {
            throw new InvalidOperationException("Synchronous operations are disallowed. Call ReadAsync/WriteAsync or set AllowSynchronousIO to true instead.");
        }
    }

    private void ResetRequest()
    {
        RequestHead head = Exchange.Head;
        _requestNumber++;
        _traceIdentifier = null;
        _requestBodyOverride = null;
        _maxRequestBodySize = Options.MaxRequestBodySize < 0 ? KestrelMaxRequestBodySize : Options.MaxRequestBodySize;
        AllowSynchronousIO = false;
        Protocol = head.Version == HttpVersion.Http11 ? HttpProtocol.Http11 : HttpProtocol.Http10;
        Scheme = Exchange.IsTls ? "https" : "http";
        Method = KnownMethods.GetString(head[head.Method]);
        PathBase = Exchange.Context.ScriptName;
        string rawTarget = _repeated.Get(0, head[head.Target]);
        if (!ReferenceEquals(rawTarget, _parsedTarget))
        {
            // A target repeated from the previous request keeps its path and query strings too
            // (kept apart from the properties, which the app's middleware may have changed).
            _parsedTarget = rawTarget;
            // Split where the app is mounted as for every app model: --script-name moves from Path to PathBase.
            _parsedPath = head.Path.Length == 0 ? "/" : ApplicationPath.Split(head, Exchange.Context.ScriptName, forwardedPrefix: null).Path;
            _parsedQuery = head.Query.Length == 0 && !HasQueryMark(head) ? string.Empty : "?" + Encoding.Latin1.GetString(head[head.Query]);
        }

        Path = _parsedPath;
        QueryString = _parsedQuery;
        RawTarget = rawTarget;
        CanHaveBody = head.Framing != BodyFraming.None;
        _requestBody.Reset(head);

        _requestHeaders.Clear();
        int slot = 1;
        foreach (HeaderField field in head.Headers)
        {
            // Header names are tokens (ASCII); values are read as Latin-1, so no byte is lost.
            _requestHeaders.Append(_repeated.Get(slot++, head[field.Name]), _repeated.Get(slot++, head[field.Value]));
        }

        ResolveConnection();
    }

    private static bool HasQueryMark(RequestHead head)
    {
        ReadOnlySpan<byte> target = head[head.Target];
        return target.IndexOf((byte)'?') >= 0;
    }
}
