using System.Net;
using GatewayServer.Http;

namespace GatewayServer.Logging;

/// <summary>What the access log knows about one finished request; valid only during the call.</summary>
public readonly ref struct AccessLogEntry
{
    public required RequestHead Head { get; init; }

    public EndPoint? Remote { get; init; }

    public int Status { get; init; }

    /// <summary>Body bytes of the response.</summary>
    public long Bytes { get; init; }

    /// <summary>The headers the application gave <c>startResponse</c>, if it got that far.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ResponseHeaders { get; init; }

    /// <summary>When the request started and ended, as <see cref="TimeProvider.GetTimestamp"/> values.</summary>
    public long StartTimestamp { get; init; }

    public long EndTimestamp { get; init; }

    /// <summary>The request id (ASCII), empty when request ids are off.</summary>
    public ReadOnlySpan<byte> RequestId { get; init; }
}
