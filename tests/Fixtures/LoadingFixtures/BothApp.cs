using GatewayServer;

namespace LoadingFixtures;

/// <summary>Implements both interfaces; the loader reports it as async and keeps both.</summary>
public sealed class BothApp : IGatewayApplication, IAsyncGatewayApplication
{
    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse) => [];

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        await Task.CompletedTask;
        yield break;
    }
}
