using GatewayServer;

namespace LoadingFixtures;

/// <summary>An asynchronous app.</summary>
public sealed class AsyncApp : IAsyncGatewayApplication
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(
        IDictionary<string, object?> environ, StartResponse startResponse)
    {
        await Task.Yield();
        startResponse("200 OK", []);
        yield return "AsyncApp"u8.ToArray();
    }
}
