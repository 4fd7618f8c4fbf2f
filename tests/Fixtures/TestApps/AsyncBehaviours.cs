using GatewayServer;

namespace TestApps;

/// <summary>
/// An async app for what only async bodies do:
/// <list type="bullet">
/// <item><c>/replace-after-first-chunk</c> yields a first chunk, then, without awaiting, calls
/// startResponse again with an error to replace the response. The server has already settled the
/// head by then (it holds the first chunk back only to see whether the body ends), so the call
/// throws and the connection closes with the 200 and the first chunk sent.</item>
/// </list>
/// Anything else is a 404.
/// </summary>
public sealed class AsyncBehaviours : IAsyncGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] TextPlain = [new("Content-Type", "text/plain")];

    public IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string path = (string)environ[EnvironKeys.PathInfo]!;
        return path == "/replace-after-first-chunk" ? FirstChunkThenReplace(startResponse) : NotFound(startResponse);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> FirstChunkThenReplace(StartResponse startResponse)
    {
        startResponse("200 OK", TextPlain);
        await Task.Yield();
        yield return "first"u8.ToArray();
        startResponse("500 Internal Server Error", TextPlain, new InvalidOperationException("too late to replace the response"));
        yield return "replaced"u8.ToArray();
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> NotFound(StartResponse startResponse)
    {
        startResponse("404 Not Found", TextPlain);
        await Task.CompletedTask.ConfigureAwait(false);
        yield return "not found"u8.ToArray();
    }
}
