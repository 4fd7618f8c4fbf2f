using System.Globalization;
using GatewayServer.Engine;
using GatewayServer.Http.Response;

namespace GatewayServer.Owin;

/// <summary>
/// <c>owin.ResponseHeaders</c> as the response's header lines, written by the engine's framer: one
/// line per value, so <c>Set-Cookie</c> stays several lines. Checked as strictly as the gateway
/// contract's headers (a name that is not a token, a value with CR/LF: the app's error, answered
/// 500, never injected). <c>Connection</c>, <c>Keep-Alive</c> and <c>Transfer-Encoding</c> are left
/// out rather than refused: OWIN servers (HttpListener, Katana) own them and OWIN apps set them
/// freely; the server frames the body. <c>Date</c> is the server's own.
/// </summary>
internal sealed class OwinResponseHeaders : IResponseHeaderSource
{
    private IDictionary<string, string[]>? _headers;

    /// <summary>The dictionary of the response about to start (the app may have replaced the one it was given).</summary>
    public void Use(IDictionary<string, string[]>? headers) => _headers = headers;

    public int Measure(out long declaredLength)
    {
        declaredLength = -1;
        int size = 0;
        if (_headers is Dictionary<string, string[]> dictionary)
        {
            // The server's own dictionary: its struct enumerator, with nothing allocated.
            foreach (KeyValuePair<string, string[]> header in dictionary)
            {
                size += Measure(header.Key, header.Value, ref declaredLength);
            }
        }
        else if (_headers is not null)
        {
            foreach (KeyValuePair<string, string[]> header in _headers)
            {
                size += Measure(header.Key, header.Value, ref declaredLength);
            }
        }

        return size;
    }

    public int Write(Span<byte> destination)
    {
        int written = 0;
        if (_headers is Dictionary<string, string[]> dictionary)
        {
            foreach (KeyValuePair<string, string[]> header in dictionary)
            {
                written += Write(destination[written..], header.Key, header.Value);
            }
        }
        else if (_headers is not null)
        {
            foreach (KeyValuePair<string, string[]> header in _headers)
            {
                written += Write(destination[written..], header.Key, header.Value);
            }
        }

        return written;
    }

    /// <summary>Whether the app asked the server to close the connection after this response (<c>Connection: close</c>).</summary>
    public bool AsksToClose() =>
        _headers is not null && _headers.TryGetValue("Connection", out string[]? values) && values is not null
        && Array.Exists(values, value => value is not null && value.Contains("close", StringComparison.OrdinalIgnoreCase));

    private static int Measure(string name, string[]? values, ref long declared)
    {
        if (values is null || IsLeftOut(name))
        {
            return 0;
        }

        int size = 0;
        foreach (string value in values)
        {
            if (value is null)
            {
                continue;
            }

            if (ResponseHeaderValidator.CheckHeader(name, value) is { } problem)
            {
                throw new InvalidOperationException(problem);
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                declared = DeclaredLength(value, declared);
            }

            size += ResponseHeadWriter.MeasureHeader(name, value);
        }

        return size;
    }

    private static int Write(Span<byte> destination, string name, string[]? values)
    {
        if (values is null || IsLeftOut(name))
        {
            return 0;
        }

        int written = 0;
        foreach (string value in values)
        {
            if (value is not null)
            {
                written += ResponseHeadWriter.WriteHeader(destination[written..], name, value);
            }
        }

        return written;
    }

    private static bool IsLeftOut(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Date", StringComparison.OrdinalIgnoreCase);

    private static long DeclaredLength(string value, long previous)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length) || (previous >= 0 && previous != length))
        {
            throw new InvalidOperationException($"Content-Length \"{value}\" is not a single non-negative integer");
        }

        return length;
    }
}
