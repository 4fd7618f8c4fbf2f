using System.Text;
using System.Text.Json;

namespace OwinApp;

/// <summary>
/// The endpoints, written against the OWIN keys alone:
/// <list type="bullet">
/// <item><c>GET /</c>: a greeting with a Content-Length the app computes.</item>
/// <item><c>GET /request</c>: the request as the OWIN environment shows it, as JSON.</item>
/// <item><c>POST /echo</c>: 201 with a reason phrase of its own, repeated headers, and the body back.</item>
/// <item><c>GET /stream?signal=S</c>: writes and flushes a first part, waits for <c>/signal?name=S</c>, writes a second.</item>
/// <item><c>GET /ws</c>: a WebSocket echo through <c>websocket.Accept</c> (<see cref="WebSocketEcho"/>).</item>
/// <item>anything else: 404 with no body.</item>
/// </list>
/// </summary>
public sealed class Router
{
    private readonly Signals _signals;

    public Router(Signals signals)
    {
        _signals = signals;
    }

    public Task Invoke(IDictionary<string, object> env) => (string)env["owin.RequestPath"] switch
    {
        "/" => Hello(env),
        "/request" => DescribeRequest(env),
        "/echo" => Echo(env),
        "/stream" => Stream(env),
        "/signal" => Signal(env),
        "/ws" => WebSocketEcho.Invoke(env),
        _ => NotFound(env),
    };

    private static Task Hello(IDictionary<string, object> env)
    {
        byte[] body = "Hello from an OWIN app\n"u8.ToArray();
        Headers(env)["Content-Type"] = ["text/plain; charset=utf-8"];
        Headers(env)["Content-Length"] = [body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return Body(env).WriteAsync(body, 0, body.Length, (CancellationToken)env["owin.CallCancelled"]);
    }

    private static async Task DescribeRequest(IDictionary<string, object> env)
    {
        var requestHeaders = (IDictionary<string, string[]>)env["owin.RequestHeaders"];
        var description = new Dictionary<string, object?>
        {
            ["version"] = env["owin.Version"],
            ["method"] = env["owin.RequestMethod"],
            ["scheme"] = env["owin.RequestScheme"],
            ["pathBase"] = env["owin.RequestPathBase"],
            ["path"] = env["owin.RequestPath"],
            ["query"] = env["owin.RequestQueryString"],
            ["protocol"] = env["owin.RequestProtocol"],
            ["remoteIp"] = env.TryGetValue("server.RemoteIpAddress", out object? ip) ? ip : null,
            ["isLocal"] = env.TryGetValue("server.IsLocal", out object? local) ? local : null,
            ["cancellable"] = ((CancellationToken)env["owin.CallCancelled"]).CanBeCanceled,
            ["userAgent"] = requestHeaders.TryGetValue("user-agent", out string[]? agent) ? agent : null,
            ["headers"] = requestHeaders.Keys.Order(StringComparer.Ordinal).ToArray(),
        };
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(description);
        Headers(env)["Content-Type"] = ["application/json"];
        await Body(env).WriteAsync(body);
    }

    private static async Task Echo(IDictionary<string, object> env)
    {
        using var copy = new MemoryStream();
        await ((Stream)env["owin.RequestBody"]).CopyToAsync(copy, (CancellationToken)env["owin.CallCancelled"]);
        env["owin.ResponseStatusCode"] = 201;
        env["owin.ResponseReasonPhrase"] = "Echoed";
        IDictionary<string, string[]> headers = Headers(env);
        headers["Content-Type"] = ((IDictionary<string, string[]>)env["owin.RequestHeaders"]).TryGetValue("Content-Type", out string[]? type) ? type : ["application/octet-stream"];
        headers["Set-Cookie"] = ["a=1", "b=2"];
        await Body(env).WriteAsync(copy.ToArray());
    }

    private async Task Stream(IDictionary<string, object> env)
    {
        string name = Query(env, "signal") ?? "default";
        Headers(env)["Content-Type"] = ["text/plain; charset=utf-8"];
        Stream body = Body(env);
        await body.WriteAsync(Encoding.UTF8.GetBytes("first part\n"));
        await body.FlushAsync();
        try
        {
            await _signals.WaitAsync(name).WaitAsync(TimeSpan.FromSeconds(60), (CancellationToken)env["owin.CallCancelled"]);
        }
        finally
        {
            _signals.Forget(name);
        }

        await body.WriteAsync(Encoding.UTF8.GetBytes("second part\n"));
    }

    private Task Signal(IDictionary<string, object> env)
    {
        _signals.Set(Query(env, "name") ?? "default");
        env["owin.ResponseStatusCode"] = 204;
        return Task.CompletedTask;
    }

    private static Task NotFound(IDictionary<string, object> env)
    {
        env["owin.ResponseStatusCode"] = 404;
        return Task.CompletedTask;
    }

    private static IDictionary<string, string[]> Headers(IDictionary<string, object> env) => (IDictionary<string, string[]>)env["owin.ResponseHeaders"];

    private static Stream Body(IDictionary<string, object> env) => (Stream)env["owin.ResponseBody"];

    private static string? Query(IDictionary<string, object> env, string name) =>
        System.Web.HttpUtility.ParseQueryString((string)env["owin.RequestQueryString"])[name];
}
