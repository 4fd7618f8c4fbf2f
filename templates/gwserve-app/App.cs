using System.Text;
using GatewayServer;

namespace GwserveApp;

/// <summary>
/// The application gwserve serves (the target is <c>GwserveApp.dll:App</c>). One instance answers
/// every request of a worker, possibly several at once, so keep it free of per-request state.
/// </summary>
public sealed class App : IGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] TextHeaders = [new("Content-Type", "text/plain; charset=utf-8")];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string method = (string)environ[EnvironKeys.RequestMethod]!;
        string path = (string)environ[EnvironKeys.PathInfo]!;

        if (path == "/")
        {
            startResponse("200 OK", TextHeaders);
            return [Encoding.UTF8.GetBytes("Hello from GwserveApp!\n")];
        }

        if (path == "/echo" && method == "POST")
        {
            // gateway.input is the request body; it ends where the body ends.
            using var body = new MemoryStream();
            ((Stream)environ[EnvironKeys.Input]!).CopyTo(body);
            startResponse("200 OK", [new("Content-Type", "application/octet-stream")]);
            return [body.ToArray()];
        }

        startResponse("404 Not Found", TextHeaders);
        return [Encoding.UTF8.GetBytes($"Nothing at {path}\n")];
    }
}
