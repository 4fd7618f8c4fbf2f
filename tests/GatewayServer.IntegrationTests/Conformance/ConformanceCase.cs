namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>
/// One raw-socket case: the bytes sent, the status of every response expected in order (an
/// interim 100 counts), and whether the server then closes. A case that stays open is followed
/// by one more request, which must be answered: that proves the framing held.
/// </summary>
public sealed record ConformanceCase(string Name, string Request, int[] Statuses, bool Closes)
{
    /// <summary>The request targets the 200 responses echo, in order.</summary>
    public string[]? EchoTargets { get; init; }

    /// <summary>The body the first 200 response echoes.</summary>
    public string? EchoBody { get; init; }

    public string? EchoMethod { get; init; }

    public string? EchoVersion { get; init; }

    /// <summary>Header (lower-case name, value) pairs the first 200 response must echo.</summary>
    public (string Name, string Value)[] EchoHeaders { get; init; } = [];

    /// <summary>Header names the first 200 response must not echo.</summary>
    public string[] EchoHeadersAbsent { get; init; } = [];

    /// <summary>The request is HEAD: its response has no body.</summary>
    public bool Head { get; init; }

    /// <summary>
    /// Bytes follow a request that closes the connection. Sent in pieces, they may still be on
    /// their way when the server closes, and a client that sends after that close may be reset
    /// (RFC 9112 section 9.6): such a case is sent whole only.
    /// </summary>
    public bool SentAfterClose { get; init; }

    /// <summary>Valid cases (every answer below 400) are also sent byte by byte and in random splits.</summary>
    public bool Splittable => Statuses.All(s => s < 400) && !SentAfterClose;

    public override string ToString() => Name;
}
