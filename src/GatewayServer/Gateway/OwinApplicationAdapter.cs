using System.Globalization;

namespace GatewayServer.Gateway;

/// <summary>
/// Serves an OWIN 1.0 <c>AppFunc</c> through the contract: the environ is mapped to the OWIN
/// request keys, and what the app sets in the OWIN response keys becomes the response. The
/// response body is collected and sent when the app's task completes.
/// </summary>
internal sealed class OwinApplicationAdapter : IAsyncGatewayApplication
{
    private readonly Func<IDictionary<string, object>, Task> _app;

    public OwinApplicationAdapter(Func<IDictionary<string, object>, Task> app)
    {
        _app = app;
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        var requestHeaders = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, object? value) in environ)
        {
            if (value is string text && OwinHeaderName(key) is { } name)
            {
                requestHeaders[name] = [text];
            }
        }

        var responseHeaders = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        using var responseBody = new MemoryStream();
        var owin = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["owin.Version"] = "1.0",
            ["owin.RequestMethod"] = environ[EnvironKeys.RequestMethod]!,
            ["owin.RequestScheme"] = environ[EnvironKeys.UrlScheme]!,
            ["owin.RequestPathBase"] = environ[EnvironKeys.ScriptName]!,
            ["owin.RequestPath"] = environ[EnvironKeys.PathInfo]!,
            ["owin.RequestQueryString"] = environ[EnvironKeys.QueryString]!,
            ["owin.RequestProtocol"] = environ[EnvironKeys.ServerProtocol]!,
            ["owin.RequestHeaders"] = requestHeaders,
            ["owin.RequestBody"] = environ[EnvironKeys.Input]!,
            ["owin.ResponseHeaders"] = responseHeaders,
            ["owin.ResponseBody"] = responseBody,
            ["owin.CallCancelled"] = environ[EnvironKeys.RequestAborted]!,
            ["server.RemoteIpAddress"] = environ[EnvironKeys.RemoteAddr]!,
            ["server.RemotePort"] = environ[EnvironKeys.RemotePort]!,
        };

        await _app(owin).ConfigureAwait(false);

        int status = owin.TryGetValue("owin.ResponseStatusCode", out object? code) ? Convert.ToInt32(code, CultureInfo.InvariantCulture) : 200;
        string reason = owin.TryGetValue("owin.ResponseReasonPhrase", out object? phrase) && phrase is string text2 ? text2 : "OK";
        var headers = new List<KeyValuePair<string, string>>();
        foreach ((string name, string[] values) in responseHeaders)
        {
            foreach (string value in values)
            {
                headers.Add(new(name, value));
            }
        }

        startResponse(string.Create(CultureInfo.InvariantCulture, $"{status} {reason}"), headers);
        yield return responseBody.ToArray();
    }

    private static string? OwinHeaderName(string key) => key switch
    {
        EnvironKeys.ContentType => "Content-Type",
        EnvironKeys.ContentLength => "Content-Length",
        _ when key.StartsWith("HTTP_", StringComparison.Ordinal) => key[5..].Replace('_', '-'),
        _ => null,
    };
}
