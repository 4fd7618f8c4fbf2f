using System.Globalization;
using System.Net;

namespace GatewayServer.Owin;

/// <summary>
/// The OWIN 1.0 environment of one request, built from the environ (OWIN spec section 3.2): the
/// request keys, the response keys the app fills in, <c>owin.CallCancelled</c>, and the common
/// <c>server.*</c>/<c>host.*</c> keys. What the app leaves in the response keys is read back with
/// <see cref="ResponseStatus"/> and <see cref="ResponseHeaderList"/>.
/// </summary>
internal sealed class OwinEnvironment
{
    private readonly List<(Action<object> Callback, object State)> _sendingHeaders = [];
    private bool _headersSent;

    public OwinEnvironment(IDictionary<string, object?> environ, Stream responseBody, CancellationToken callCancelled)
    {
        string remote = environ.TryGetValue(EnvironKeys.RemoteAddr, out object? address) && address is string text ? text : string.Empty;
        Values = new Dictionary<string, object>(32, StringComparer.Ordinal)
        {
            [OwinKeys.Version] = "1.0",
            [OwinKeys.CallCancelled] = callCancelled,
            [OwinKeys.RequestMethod] = environ[EnvironKeys.RequestMethod]!,
            [OwinKeys.RequestScheme] = environ[EnvironKeys.UrlScheme]!,
            [OwinKeys.RequestPathBase] = environ[EnvironKeys.ScriptName]!,
            [OwinKeys.RequestPath] = environ[EnvironKeys.PathInfo]!,
            [OwinKeys.RequestQueryString] = environ[EnvironKeys.QueryString]!,
            [OwinKeys.RequestProtocol] = environ[EnvironKeys.ServerProtocol]!,
            [OwinKeys.RequestHeaders] = RequestHeaders(environ),
            [OwinKeys.RequestBody] = environ[EnvironKeys.Input]!,
            [OwinKeys.ResponseHeaders] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
            [OwinKeys.ResponseBody] = responseBody,
            [OwinKeys.RemoteIpAddress] = remote,
            [OwinKeys.RemotePort] = environ.TryGetValue(EnvironKeys.RemotePort, out object? port) && port is string portText ? portText : string.Empty,
            [OwinKeys.IsLocal] = IPAddress.TryParse(remote, out IPAddress? ip) && IPAddress.IsLoopback(ip),
            [OwinKeys.OnSendingHeaders] = new Action<Action<object>, object>(RegisterSendingHeaders),
        };
        if (environ.TryGetValue(EnvironKeys.Errors, out object? errors) && errors is TextWriter trace)
        {
            Values[OwinKeys.TraceOutput] = trace;
        }
    }

    /// <summary>The dictionary handed to the app.</summary>
    public Dictionary<string, object> Values { get; }

    /// <summary>
    /// Runs the <c>server.OnSendingHeaders</c> callbacks, last registered first (as Katana does),
    /// and closes the registration: the response head is being fixed.
    /// </summary>
    public void OnSendingHeaders()
    {
        _headersSent = true;
        for (int i = _sendingHeaders.Count - 1; i >= 0; i--)
        {
            (Action<object> callback, object state) = _sendingHeaders[i];
            callback(state);
        }
    }

    /// <summary>The status line from <c>owin.ResponseStatusCode</c> (200 when absent) and <c>owin.ResponseReasonPhrase</c>.</summary>
    public string ResponseStatus()
    {
        int code = Values.TryGetValue(OwinKeys.ResponseStatusCode, out object? value) && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : 200;
        if (code is < 100 or > 999)
        {
            throw new InvalidOperationException($"owin.ResponseStatusCode {code} is not a 3-digit status code");
        }

        string reason = Values.TryGetValue(OwinKeys.ResponseReasonPhrase, out object? phrase) && phrase is string { Length: > 0 } text
            ? text
            : Http.Response.ReasonPhrases.For(code);
        return string.Create(CultureInfo.InvariantCulture, $"{code} {reason}");
    }

    /// <summary>
    /// <c>owin.ResponseHeaders</c> as header lines: one line per value, so <c>Set-Cookie</c> stays
    /// several lines. The framing headers the server owns are left out: the server frames the body.
    /// </summary>
    public List<KeyValuePair<string, string>> ResponseHeaderList()
    {
        var lines = new List<KeyValuePair<string, string>>();
        if (Values.TryGetValue(OwinKeys.ResponseHeaders, out object? value) && value is IDictionary<string, string[]> headers)
        {
            foreach ((string name, string[]? values) in headers)
            {
                if (values is null || IsConnectionHeader(name))
                {
                    continue;
                }

                foreach (string item in values)
                {
                    if (item is not null)
                    {
                        lines.Add(new(name, item));
                    }
                }
            }
        }

        return lines;
    }

    private void RegisterSendingHeaders(Action<object> callback, object state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (_headersSent)
        {
            throw new InvalidOperationException("the response headers have already been sent");
        }

        _sendingHeaders.Add((callback, state));
    }

    /// <summary>
    /// OWIN servers (HttpListener, Katana) own these, and OWIN apps written for them set them
    /// freely; under the gateway contract they would be a 500, so the adapter drops them.
    /// </summary>
    private static bool IsConnectionHeader(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>owin.RequestHeaders</c>: case-insensitive names in their usual spelling (<c>User-Agent</c>).
    /// The environ already joined repeated headers, so each has one value.
    /// </summary>
    private static Dictionary<string, string[]> RequestHeaders(IDictionary<string, object?> environ)
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, object? value) in environ)
        {
            if (value is not string text)
            {
                continue;
            }

            string? name = key switch
            {
                EnvironKeys.ContentType => "Content-Type",
                EnvironKeys.ContentLength => "Content-Length",
                _ when key.StartsWith("HTTP_", StringComparison.Ordinal) && key.Length > 5 => HeaderName(key.AsSpan(5)),
                _ => null,
            };
            if (name is not null)
            {
                headers[name] = [text];
            }
        }

        return headers;
    }

    private static string HeaderName(ReadOnlySpan<char> environName) =>
        string.Create(environName.Length, environName.ToString(), static (span, source) =>
        {
            bool wordStart = true;
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c == '_' ? '-' : wordStart ? c : char.ToLowerInvariant(c);
                wordStart = c == '_';
            }
        });
}
