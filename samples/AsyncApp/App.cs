using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using GatewayServer;

namespace AsyncApp;

/// <summary>
/// An <see cref="IAsyncGatewayApplication"/>: its body is an <see cref="IAsyncEnumerable{T}"/>, so
/// it can await between chunks without holding a thread, and it reads <c>gateway.input</c> with
/// <c>ReadAsync</c>.
/// <list type="bullet">
/// <item><c>GET /</c>: a greeting.</item>
/// <item><c>POST /sha256</c>: reads the body asynchronously; answers its length and SHA-256.</item>
/// <item><c>GET /count?n=N&amp;delay=MS</c>: N lines, awaiting MS milliseconds before each after the first.</item>
/// </list>
/// </summary>
public sealed class App : IAsyncGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] TextHeaders = [new("Content-Type", "text/plain; charset=utf-8")];

    public IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string path = (string)environ[EnvironKeys.PathInfo]!;
        var aborted = (CancellationToken)environ[EnvironKeys.RequestAborted]!;
        return path switch
        {
            "/" => Greet(startResponse),
            "/sha256" => HashBody((Stream)environ[EnvironKeys.Input]!, startResponse, aborted),
            "/count" => Count(System.Web.HttpUtility.ParseQueryString((string)environ[EnvironKeys.QueryString]!), startResponse, aborted),
            _ => NotFound(startResponse),
        };
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Greet(StartResponse startResponse)
    {
        startResponse("200 OK", TextHeaders);
        await Task.Yield();
        yield return "Hello from an async app\n"u8.ToArray();
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> HashBody(Stream input, StartResponse startResponse, [EnumeratorCancellation] CancellationToken aborted)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        string sha256;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int read;
            while ((read = await input.ReadAsync(buffer, aborted).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }

            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        startResponse("200 OK", [new("Content-Type", "application/json")]);
        yield return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"bytes\":{total},\"sha256\":\"{sha256}\"}}"));
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Count(System.Collections.Specialized.NameValueCollection query, StartResponse startResponse, [EnumeratorCancellation] CancellationToken aborted)
    {
        int n = int.TryParse(query["n"], NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? count : 3;
        int delay = int.TryParse(query["delay"], NumberStyles.None, CultureInfo.InvariantCulture, out int ms) ? ms : 0;
        startResponse("200 OK", TextHeaders);
        for (int i = 1; i <= n; i++)
        {
            if (i > 1 && delay > 0)
            {
                await Task.Delay(delay, aborted).ConfigureAwait(false);
            }

            yield return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"line {i}\n"));
        }
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> NotFound(StartResponse startResponse)
    {
        startResponse("404 Not Found", TextHeaders);
        await Task.CompletedTask.ConfigureAwait(false);
        yield return "try /, POST /sha256 or /count?n=3\n"u8.ToArray();
    }
}
