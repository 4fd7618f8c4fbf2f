namespace GatewayServer.Http;

/// <summary>The size limits the parser enforces; the defaults are Gunicorn's.</summary>
public sealed record HttpLimits
{
    /// <summary>Longest request line in bytes, CRLF excluded (Gunicorn's limit_request_line).</summary>
    public int MaxRequestLine { get; init; } = 4094;

    /// <summary>Most header fields in one request (limit_request_fields).</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Longest header field line in bytes, CRLF excluded (limit_request_field_size).</summary>
    public int MaxHeaderFieldSize { get; init; } = 8190;

    /// <summary>Largest request body in bytes; negative means unlimited.</summary>
    public long MaxBodySize { get; init; } = -1;

    /// <summary>Longest chunk extension of one chunk, in bytes.</summary>
    public int MaxChunkExtension { get; init; } = 4096;

    /// <summary>Largest trailer section, in bytes.</summary>
    public int MaxTrailerSize { get; init; } = 8192;

    /// <summary>
    /// The lowest rate, in bytes per second of time spent waiting for them, at which a request body
    /// may arrive once <see cref="MinBodyDataRateGrace"/> has passed (Kestrel's
    /// MinRequestBodyDataRate); 0 turns the check off.
    /// </summary>
    public double MinBodyDataRate { get; init; } = 240;

    /// <summary>How long a body read may run below <see cref="MinBodyDataRate"/> before it counts.</summary>
    public TimeSpan MinBodyDataRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The lowest rate, in bytes per second, at which a client must take its responses when a send
    /// has to wait for it (Kestrel's MinResponseDataRate); 0 turns the check off.
    /// </summary>
    public double MinResponseDataRate { get; init; } = 240;

    /// <summary>The least time a send may wait for the client, however few its bytes.</summary>
    public TimeSpan MinResponseDataRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a body read may wait for its next bytes; <see cref="TimeSpan.Zero"/> means no limit.</summary>
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most bytes a whole request head may take before it is refused with 431.</summary>
    public long MaxHeadSize => MaxRequestLine + 2L + (long)MaxHeaderCount * (MaxHeaderFieldSize + 2L) + 2L;
}
