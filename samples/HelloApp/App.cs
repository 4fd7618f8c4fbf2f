using GatewayServer;

namespace HelloApp;

/// <summary>Answers every request with a 13-byte "Hello, World!".</summary>
public sealed class App : IGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Content-Type", "text/plain"),
    ];

    private static readonly ReadOnlyMemory<byte>[] Body = ["Hello, World!"u8.ToArray()];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        startResponse("200 OK", Headers);
        return Body;
    }
}
