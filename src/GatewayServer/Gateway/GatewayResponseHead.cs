using System.Runtime.ExceptionServices;
using GatewayServer.Engine;
using GatewayServer.Http.Response;

namespace GatewayServer.Gateway;

/// <summary>
/// What the application passed to <c>startResponse</c>: the status string and the header list,
/// checked as PEP 3333 asks (a bad status or header is the application's error, answered 500,
/// and cannot inject anything), and written through the engine's <see cref="HttpResponse"/>,
/// which owns the framing. One instance per connection, reset for each request.
/// </summary>
internal sealed class GatewayResponseHead : IResponseHeaderSource
{
    private readonly HttpResponse _response;
    private string? _status;
    private IReadOnlyList<KeyValuePair<string, string>>? _headers;
    private bool _held;
    private bool _mayUpgrade;
    private bool _switching;

    public GatewayResponseHead(HttpResponse response)
    {
        _response = response;
        StartResponse = OnStartResponse;
    }

    /// <summary>The delegate handed to the application; bound once per connection.</summary>
    public StartResponse StartResponse { get; }

    /// <summary>
    /// Whether the head is settled: written, or held back only while the responder looks at
    /// whether the body ends after its first chunk. Either way startResponse can no longer change it.
    /// </summary>
    private bool Settled => _response.HeadWritten || _held;

    /// <summary>Forgets the previous request's response; <paramref name="mayUpgrade"/> lets a 101 through.</summary>
    public void Reset(bool mayUpgrade)
    {
        _status = null;
        _headers = null;
        _held = false;
        _mayUpgrade = mayUpgrade;
    }

    /// <summary>The body's first chunk is ready: from now on the head is as good as sent.</summary>
    public void Hold() => _held = true;

    /// <summary>
    /// Writes the head into the connection's output. <paramref name="knownLength"/> is the whole
    /// body's length when the server knows it (a single-chunk body), else -1;
    /// <paramref name="allowKeepAlive"/> is false when the connection must close after this response.
    /// </summary>
    public void Write(long knownLength, bool allowKeepAlive)
    {
        if (_response.SwitchingProtocols)
        {
            // The app's (empty) body after gateway.upgrade sent the 101: there is no other head.
            return;
        }

        if (_status is not { } status || _headers is null)
        {
            throw new InvalidOperationException("the application produced a response without calling startResponse");
        }

        int statusCode = ((status[0] - '0') * 100) + ((status[1] - '0') * 10) + (status[2] - '0');
        _switching = statusCode == 101;
        _response.Headers = _headers;
        _response.WriteHead(statusCode, this, knownLength, allowKeepAlive, status);
    }

    private void OnStartResponse(string status, IReadOnlyList<KeyValuePair<string, string>> headers, Exception? error)
    {
        if (error is not null)
        {
            if (Settled)
            {
                // PEP 3333: too late to change the response; the error goes back up and the connection closes.
                ExceptionDispatchInfo.Capture(error).Throw();
            }
        }
        else if (_status is not null)
        {
            throw new InvalidOperationException("startResponse was called twice; pass the error to replace the response");
        }

        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(headers);
        string? problem = ResponseHeaderValidator.CheckStatus(status, allowSwitchingProtocols: _mayUpgrade);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        _status = status;
        _headers = headers;
    }

    int IResponseHeaderSource.Measure(out long declaredLength)
    {
        IReadOnlyList<KeyValuePair<string, string>> headers = _headers!;
        bool namesProtocol = false;
        int size = 0;
        long declared = -1;
        for (int i = 0; i < headers.Count; i++)
        {
            (string name, string value) = headers[i];
            string? problem = ResponseHeaderValidator.CheckHeader(name, value);
            if (_switching && problem is not null && name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9110 section 15.2.2: the one place Upgrade is the app's, naming the protocol it switches to.
                problem = ResponseHeaderValidator.CheckHeader("X-Upgrade", value);
                namesProtocol = value.Length > 0;
            }

            if (problem is not null)
            {
                throw new InvalidOperationException(problem);
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                declared = ParseDeclaredLength(value, declared);
            }

            size += ResponseHeadWriter.MeasureHeader(name, value);
        }

        if (_switching && !namesProtocol)
        {
            throw new InvalidOperationException("a 101 response names the protocol it switches to in an Upgrade header");
        }

        declaredLength = declared;
        return size;
    }

    int IResponseHeaderSource.Write(Span<byte> destination)
    {
        IReadOnlyList<KeyValuePair<string, string>> headers = _headers!;
        int written = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            (string name, string value) = headers[i];
            if (!name.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                // The server's own Date line is already written: one Date per response.
                written += ResponseHeadWriter.WriteHeader(destination[written..], name, value);
            }
        }

        return written;
    }

    private static long ParseDeclaredLength(string value, long previous)
    {
        if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length)
            || (previous >= 0 && previous != length))
        {
            throw new InvalidOperationException($"Content-Length \"{value}\" is not a single non-negative integer");
        }

        return length;
    }
}
