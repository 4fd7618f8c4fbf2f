namespace GatewayServer.Transport;

/// <summary>
/// The proxy headers the operator's proxy sets, and so the only ones gwserve believes from a
/// trusted peer (<c>--forwarded-headers</c>). A header left out is never trusted, whoever sends it:
/// a proxy that passes a header through untouched lets its clients write it, which is how a forged
/// <c>Forwarded</c> or <c>X-Forwarded-Prefix</c> reached applications behind nginx.
/// </summary>
[Flags]
public enum ForwardedHeaders
{
    /// <summary>No proxy header changes the environ.</summary>
    None = 0,

    /// <summary><c>X-Forwarded-For</c>: <c>REMOTE_ADDR</c>, <c>REMOTE_PORT</c>.</summary>
    XForwardedFor = 1,

    /// <summary><c>X-Forwarded-Proto</c>: <c>gateway.url_scheme</c>.</summary>
    XForwardedProto = 2,

    /// <summary><c>X-Forwarded-Host</c>: <c>SERVER_NAME</c>, <c>SERVER_PORT</c>.</summary>
    XForwardedHost = 4,

    /// <summary><c>X-Forwarded-Prefix</c>: <c>SCRIPT_NAME</c>.</summary>
    XForwardedPrefix = 8,

    /// <summary>RFC 7239 <c>Forwarded</c>: <c>for=</c>, <c>proto=</c> and <c>host=</c>.</summary>
    Forwarded = 16,

    /// <summary>What docs/deploy/nginx.conf sets in every location: the default.</summary>
    Default = XForwardedFor | XForwardedProto | XForwardedHost,
}
