using GatewayServer;

namespace LoadingFixtures;

/// <summary>Static methods that are applications themselves.</summary>
public static class Handlers
{
    public static IEnumerable<ReadOnlyMemory<byte>> Hello(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        startResponse("200 OK", []);
        yield return "Handlers.Hello"u8.ToArray();
    }

    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> HelloAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        await Task.Yield();
        startResponse("200 OK", []);
        yield return "Handlers.HelloAsync"u8.ToArray();
    }

    // A more derived return type than the contract's still makes an application.
    public static ReadOnlyMemory<byte>[] HelloArray(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        startResponse("200 OK", []);
        return ["Handlers.HelloArray"u8.ToArray()];
    }

    // Almost the shape: one parameter short.
    public static IEnumerable<ReadOnlyMemory<byte>> Almost(IDictionary<string, object?> environ) => [];
}
