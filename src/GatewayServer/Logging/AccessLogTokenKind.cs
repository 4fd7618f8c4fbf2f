namespace GatewayServer.Logging;

/// <summary>The Gunicorn access-log tokens gwserve knows (docs/logging.md).</summary>
internal enum AccessLogTokenKind
{
    /// <summary>Text copied as it is.</summary>
    Literal,

    /// <summary><c>h</c>: the client address.</summary>
    RemoteAddress,

    /// <summary><c>l</c>: always <c>-</c>.</summary>
    Dash,

    /// <summary><c>u</c>: the user name; <c>-</c> (gwserve does no authentication).</summary>
    User,

    /// <summary><c>t</c>: the time, <c>[10/Oct/2000:13:55:36 -0700]</c>.</summary>
    Time,

    /// <summary><c>r</c>: the request line.</summary>
    RequestLine,

    /// <summary><c>m</c>: the method.</summary>
    Method,

    /// <summary><c>U</c>: the path, without the query.</summary>
    Path,

    /// <summary><c>q</c>: the query string.</summary>
    Query,

    /// <summary><c>H</c>: the protocol.</summary>
    Protocol,

    /// <summary><c>s</c>: the status code.</summary>
    Status,

    /// <summary><c>B</c>: the body length.</summary>
    Bytes,

    /// <summary><c>b</c>: the body length, or <c>-</c> when 0.</summary>
    BytesOrDash,

    /// <summary><c>f</c>: the Referer header.</summary>
    Referer,

    /// <summary><c>a</c>: the User-Agent header.</summary>
    UserAgent,

    /// <summary><c>T</c>: the duration in whole seconds.</summary>
    Seconds,

    /// <summary><c>M</c>: the duration in whole milliseconds.</summary>
    Milliseconds,

    /// <summary><c>D</c>: the duration in whole microseconds.</summary>
    Microseconds,

    /// <summary><c>L</c>: the duration in seconds, as a decimal.</summary>
    DecimalSeconds,

    /// <summary><c>p</c>: the worker's pid, as <c>&lt;1234&gt;</c>.</summary>
    ProcessId,

    /// <summary><c>{name}i</c>: a request header.</summary>
    RequestHeader,

    /// <summary><c>{name}o</c>: a response header.</summary>
    ResponseHeader,
}
