using System.Globalization;
using System.Text;
using GatewayServer;

namespace TestApps;

/// <summary>
/// One app, chosen by path, for the behaviours the integration tests need:
/// <list type="bullet">
/// <item><c>/pid</c> answers the worker's process id, so a test can tell which worker served it.</item>
/// <item><c>/sleep?ms=N</c> writes <c>sleeping N ms</c> to <c>gateway.errors</c> (a test awaits that
/// line to know the request is in flight), blocks for N ms, then answers <c>slept N ms</c>.</item>
/// <item><c>/raise</c> throws an <see cref="InvalidOperationException"/> whose message is
/// <see cref="SecretMessage"/>, which must never reach the wire.</item>
/// <item><c>/raise-midway</c> sends a first body chunk, then throws: the headers are already out.</item>
/// <item><c>/environ</c> (under any prefix) answers, as a JSON object, the environ keys a proxy or
/// TLS can change (<see cref="EnvironEchoKeys"/>), plus <c>client_certificate</c>: the subject of
/// <c>gateway.client_certificate</c>, or null.</item>
/// <item><c>/chunks</c> answers <c>one</c>, <c>two</c>, <c>three</c> as three body chunks without a
/// Content-Length, so the server has to frame it (chunked, or close-delimited on HTTP/1.0).</item>
/// <item><c>/status?code=N</c> answers status N (with its standard reason phrase) and an empty body:
/// 100 and 101 are not final statuses, the app's error.</item>
/// <item><c>/kilobytes?n=N</c> answers N KiB of <c>k</c>.</item>
/// <item><c>/upgrade</c> switches to a protocol of its own, <c>echo</c> (every byte back), on <c>gateway.upgrade</c>.</item>
/// </list>
/// Anything else is a 404.
/// </summary>
public sealed class Behaviours : IGatewayApplication
{
    public const string SecretMessage = "secret-detail-that-must-not-leak";

    public static readonly string[] EnvironEchoKeys =
    [
        "REMOTE_ADDR", "REMOTE_PORT", "gateway.url_scheme", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO",
        "HTTP_HOST", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED",
    ];

    private static readonly KeyValuePair<string, string>[] TextPlain = [new("Content-Type", "text/plain")];

    private static readonly KeyValuePair<string, string>[] Json = [new("Content-Type", "application/json")];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string path = (string)environ[EnvironKeys.PathInfo]!;
        string query = (string)environ[EnvironKeys.QueryString]!;
        if (path.EndsWith("/environ", StringComparison.Ordinal))
        {
            var echoed = new Dictionary<string, string?>();
            foreach (string key in EnvironEchoKeys)
            {
                echoed[key] = environ.TryGetValue(key, out object? value) ? value as string : null;
            }

            echoed["client_certificate"] = environ.TryGetValue("gateway.client_certificate", out object? certificate)
                ? (certificate as System.Security.Cryptography.X509Certificates.X509Certificate2)?.Subject
                : null;
            startResponse("200 OK", Json);
            return [System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(echoed)];
        }

        switch (path)
        {
            case "/pid":
                startResponse("200 OK", TextPlain);
                return [Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture))];
            case "/sleep":
                int ms = int.Parse(query.StartsWith("ms=", StringComparison.Ordinal) ? query[3..] : "1000", CultureInfo.InvariantCulture);
                var errors = (TextWriter)environ[EnvironKeys.Errors]!;
                errors.WriteLine($"sleeping {ms} ms");
                errors.Flush();
                Thread.Sleep(ms);
                startResponse("200 OK", TextPlain);
                return [Encoding.ASCII.GetBytes($"slept {ms} ms")];
            case "/raise":
                throw new InvalidOperationException(SecretMessage);
            case "/raise-midway":
                startResponse("200 OK", TextPlain);
                return FirstChunkThenThrow();
            case "/chunks":
                startResponse("200 OK", TextPlain);
                return Chunks();
            case "/status":
                int code = int.Parse(query["code=".Length..], CultureInfo.InvariantCulture);
                startResponse($"{code} {ReasonPhrase(code)}", TextPlain);
                return [];
            case "/upgrade":
                // A protocol of its own ("echo": every byte back) on the raw upgraded stream, handed to a task.
                startResponse("101 Switching Protocols", [new("Upgrade", "echo")]);
                _ = EchoBytesAsync(((ProtocolUpgrade)environ[EnvironKeys.Upgrade]!)());
                return [];
            case "/kilobytes":
                startResponse("200 OK", TextPlain);
                return [Encoding.ASCII.GetBytes(new string('k', 1024 * int.Parse(query["n=".Length..], CultureInfo.InvariantCulture)))];
            default:
                startResponse("404 Not Found", TextPlain);
                return ["not found"u8.ToArray()];
        }
    }

    private static async Task EchoBytesAsync(Stream connection)
    {
        await using (connection)
        {
            byte[] buffer = new byte[4096];
            int read;
            while ((read = await connection.ReadAsync(buffer)) > 0)
            {
                await connection.WriteAsync(buffer.AsMemory(0, read));
            }
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> FirstChunkThenThrow()
    {
        yield return "partial"u8.ToArray();
        yield return "more"u8.ToArray();
        throw new InvalidOperationException(SecretMessage);
    }

    private static string ReasonPhrase(int code) => code switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        103 => "Early Hints",
        _ => "Status",
    };

    private static IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        yield return "one"u8.ToArray();
        yield return "two"u8.ToArray();
        yield return "three"u8.ToArray();
    }
}
