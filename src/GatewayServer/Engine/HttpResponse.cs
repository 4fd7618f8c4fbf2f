using System.Buffers.Text;
using GatewayServer.Http;
using GatewayServer.Http.Response;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// One response at a time on a connection, for every app model: writes the head an app model
/// describes (a numeric status and its <see cref="IResponseHeaderSource"/>), decides the framing
/// once (Content-Length, chunked, or close-delimited on HTTP/1.0; <c>Connection</c>), frames the
/// body and its trailers, and sends 100 Continue when the body is first read.
/// </summary>
internal sealed class HttpResponse
{
    private static ReadOnlySpan<byte> ContinueLine => "HTTP/1.1 100 Continue\r\n\r\n"u8;

    private readonly ConnectionOutput _output;
    private readonly EngineContext _context;
    private HttpVersion _version;
    private bool _isHeadRequest;
    private bool _requestKeepAlive;
    private long _declaredLength;
    private long _bodyWritten;
    private bool _chunked;
    private bool _suppressBody;
    private bool _expectContinue;
    private bool _continueSent;
    private bool _upgrading;

    public HttpResponse(ConnectionOutput output, EngineContext context)
    {
        _output = output;
        _context = context;
    }

    public bool HeadWritten { get; private set; }

    /// <summary>Whether this response is a 101 Switching Protocols that went out: the connection is no longer HTTP.</summary>
    public bool SwitchingProtocols { get; private set; }

    /// <summary>Whether the connection stays open after this response.</summary>
    public bool KeepAlive { get; private set; }

    public int StatusCode { get; private set; }

    /// <summary>The request id written as X-Request-Id; null when request ids are off.</summary>
    public RequestTrace? Trace { get; init; }

    /// <summary>The response headers as an app model keeps them as strings, for the access log's <c>%({name}o)s</c>; null when the model keeps none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; set; }

    /// <summary>Body bytes the application produced (for the access log).</summary>
    public long BodyLength => _bodyWritten;

    public void Reset(RequestHead head)
    {
        Headers = null;
        _version = head.Version;
        _isHeadRequest = head[head.Method].SequenceEqual("HEAD"u8);
        _requestKeepAlive = head.KeepAlive;
        _declaredLength = -1;
        _bodyWritten = 0;
        _chunked = false;
        _suppressBody = false;
        _expectContinue = head.ExpectContinue;
        _continueSent = false;
        HeadWritten = false;
        _upgrading = false;
        SwitchingProtocols = false;
        KeepAlive = false;
        StatusCode = 0;
    }

    /// <summary>
    /// Called by the connection just before it writes a 101 head (<see cref="HttpConnection.Upgrade"/>):
    /// a 101 written any other way is refused, so nothing is ever left half-upgraded.
    /// </summary>
    public void BeginSwitchingProtocols() => _upgrading = true;

    /// <summary>Sends 100 Continue when the client asked for it and the app starts reading the body.</summary>
    public async ValueTask SendContinueAsync(CancellationToken cancellation)
    {
        if (TakeContinue())
        {
            _output.Write(ContinueLine);
            await _output.FlushAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The blocking form of <see cref="SendContinueAsync"/>.</summary>
    public void SendContinue()
    {
        if (TakeContinue())
        {
            _output.Write(ContinueLine);
            _output.Flush();
        }
    }

    /// <summary>Whether a 100 Continue is due now: asked for, not sent yet, and no final response begun.</summary>
    private bool TakeContinue()
    {
        if (!_expectContinue || _continueSent || HeadWritten)
        {
            return false;
        }

        _continueSent = true;
        return true;
    }

    /// <summary>
    /// Writes the head of the response: the status line, the server's own headers, the app model's
    /// headers (<paramref name="headers"/> checks, measures and writes them) and the framing, decided
    /// here once for every model (Content-Length, chunked or close-delimited; <c>Connection</c>).
    /// <paramref name="knownLength"/> is the whole body's length when it is known, else -1.
    /// <paramref name="statusText"/> is the whole "NNN reason" when the app chose the reason
    /// phrase (the gateway contract's status string, already checked); otherwise the standard one is sent.
    /// </summary>
    public void WriteHead(int statusCode, IResponseHeaderSource headers, long knownLength, bool allowKeepAlive, string? statusText = null)
    {
        CheckSwitchingProtocols(statusCode);
        StatusCode = statusCode;
        bool bodyless = statusCode is < 200 or 204 or 304;
        string reason = statusText ?? ReasonPhrases.For(statusCode);
        ReadOnlySpan<byte> requestId = Trace is null ? default : Trace.RequestId;
        int size = ResponseHeadWriter.FixedOverhead + reason.Length + _context.ServerHeaderLine.Length + requestId.Length + 16
            + headers.Measure(out long declared);
        Span<byte> span = _output.GetSpan(size);
        int written = statusText is null
            ? ResponseHeadWriter.WriteStatusLine(span, _version, statusCode, reason)
            : ResponseHeadWriter.WriteStatusLine(span, _version, statusText);
        _context.ServerHeaderLine.CopyTo(span[written..]);
        written += _context.ServerHeaderLine.Length;
        ReadOnlySpan<byte> date = _context.Date.Line;
        date.CopyTo(span[written..]);
        written += date.Length;
        written += headers.Write(span[written..]);
        _declaredLength = declared;
        FinishHead(span, written, requestId, bodyless, knownLength, allowKeepAlive);
    }

    /// <summary>The request id, the framing headers and the end of the head: the same for every app model.</summary>
    private void FinishHead(Span<byte> span, int written, ReadOnlySpan<byte> requestId, bool bodyless, long knownLength, bool allowKeepAlive)
    {
        long declared = _declaredLength;
        if (!requestId.IsEmpty)
        {
            written += ResponseHeadWriter.WriteHeader(span[written..], "X-Request-Id"u8, requestId);
        }

        if (_upgrading)
        {
            // RFC 9110 section 7.8: the 101 says which options switch; no framing, the bytes after it are the new protocol's.
            "Connection: Upgrade\r\n\r\n"u8.CopyTo(span[written..]);
            _output.Advance(written + "Connection: Upgrade\r\n\r\n"u8.Length);
            KeepAlive = false;
            _suppressBody = true;
            HeadWritten = true;
            SwitchingProtocols = true;
            return;
        }

        bool closeDelimited = false;
        if (bodyless)
        {
            _suppressBody = true;
        }
        else if (declared < 0 && knownLength >= 0)
        {
            _declaredLength = knownLength;
            written += ResponseHeadWriter.WriteContentLength(span[written..], knownLength);
        }
        else if (declared < 0 && _version == HttpVersion.Http11)
        {
            _chunked = true;
            "Transfer-Encoding: chunked\r\n"u8.CopyTo(span[written..]);
            written += "Transfer-Encoding: chunked\r\n"u8.Length;
        }
        else if (declared < 0)
        {
            closeDelimited = !_isHeadRequest;
        }

        KeepAlive = _requestKeepAlive && allowKeepAlive && !closeDelimited && !_context.Stopping;
        if (!KeepAlive)
        {
            "Connection: close\r\n"u8.CopyTo(span[written..]);
            written += "Connection: close\r\n"u8.Length;
        }
        else if (_version == HttpVersion.Http10)
        {
            "Connection: keep-alive\r\n"u8.CopyTo(span[written..]);
            written += "Connection: keep-alive\r\n"u8.Length;
        }

        "\r\n"u8.CopyTo(span[written..]);
        _output.Advance(written + 2);
        _suppressBody |= _isHeadRequest;
        HeadWritten = true;
    }

    /// <summary>The connection closes after this response, whose head is already out (the request's body was left in an unknown state).</summary>
    public void ForbidKeepAlive() => KeepAlive = false;

    /// <summary>Frames and queues one body chunk; large chunks are sent directly.</summary>
    public async ValueTask WriteBodyAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellation)
    {
        int admitted = Admit(chunk.Length, out bool overrun);
        if (admitted >= 0)
        {
            await WriteFramedAsync(chunk[..admitted], cancellation).ConfigureAwait(false);
        }

        if (overrun)
        {
            throw Overrun();
        }
    }

    /// <summary>
    /// Frames one body chunk into the output buffer and sends nothing, whatever its size: for a
    /// synchronous write that must not wait for the client (the engine sends the buffer later).
    /// </summary>
    public void WriteBody(ReadOnlySpan<byte> chunk)
    {
        int admitted = Admit(chunk.Length, out bool overrun);
        if (admitted >= 0)
        {
            WriteChunkSize(admitted);
            _output.Write(chunk[..admitted]);
            WriteChunkEnd();
        }

        if (overrun)
        {
            throw Overrun();
        }
    }

    /// <summary>Ends the body: the last chunk for chunked framing, and a check of Content-Length.</summary>
    public void Complete() => Complete(null);

    /// <summary>
    /// Ends the body as <see cref="Complete()"/> does; on a chunked response, <paramref name="trailers"/>
    /// (when it has any) go out in the trailer section (RFC 9112 section 7.1.2).
    /// </summary>
    public void Complete(IResponseHeaderSource? trailers)
    {
        if (_chunked && !_suppressBody)
        {
            int size = trailers is null ? 0 : trailers.Measure(out _);
            if (size == 0)
            {
                _output.Write("0\r\n\r\n"u8);
            }
            else
            {
                Span<byte> span = _output.GetSpan(size + 5);
                "0\r\n"u8.CopyTo(span);
                int written = 3 + trailers!.Write(span[3..]);
                "\r\n"u8.CopyTo(span[written..]);
                _output.Advance(written + 2);
            }
        }

        if (_declaredLength >= 0 && _bodyWritten < _declaredLength && !_suppressBody)
        {
            throw new ResponseFramingException($"the application sent {_bodyWritten} of its Content-Length of {_declaredLength} bytes");
        }
    }

    /// <summary>Whether the head says the body length, so a file can be sent as it is.</summary>
    public bool IsChunked => _chunked;

    public bool SuppressBody => _suppressBody;

    /// <summary>The body length the head announced, or -1 when it announced none.</summary>
    public long DeclaredLength => _declaredLength;

    internal void CountDirectBody(long length) => _bodyWritten += length;

    private async ValueTask WriteFramedAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellation)
    {
        WriteChunkSize(chunk.Length);
        if (chunk.Length >= ConnectionOutput.DirectWriteThreshold)
        {
            await _output.WriteDirectAsync(chunk, cancellation).ConfigureAwait(false);
        }
        else
        {
            _output.Write(chunk.Span);
        }

        WriteChunkEnd();
    }

    /// <summary>
    /// Counts a chunk of <paramref name="length"/> bytes the app wrote and returns how much of it goes
    /// out: all of it, the part within the declared Content-Length (<paramref name="overrun"/> set,
    /// the app's error once that part is written), or -1 for nothing (a HEAD or bodyless response,
    /// or an overrun with no room left).
    /// </summary>
    private int Admit(int length, out bool overrun)
    {
        if (SwitchingProtocols)
        {
            throw new ResponseFramingException("a 101 response has no body: the application writes to the upgraded stream");
        }

        overrun = _declaredLength >= 0 && _bodyWritten + length > _declaredLength;
        long admitted = overrun ? _declaredLength - _bodyWritten : length;
        _bodyWritten += length;
        return _suppressBody || (overrun && admitted <= 0) ? -1 : (int)admitted;
    }

    private ResponseFramingException Overrun() => new($"the application sent more than its Content-Length of {_declaredLength} bytes");

    private void WriteChunkSize(int length)
    {
        if (_chunked)
        {
            Span<byte> size = _output.GetSpan(12);
            Utf8Formatter.TryFormat(length, size, out int digits, new System.Buffers.StandardFormat('x'));
            "\r\n"u8.CopyTo(size[digits..]);
            _output.Advance(digits + 2);
        }
    }

    private void WriteChunkEnd()
    {
        if (_chunked)
        {
            _output.Write("\r\n"u8);
        }
    }

    /// <summary>
    /// Whether <paramref name="statusCode"/> is the 101 of an upgrade the connection is making; a
    /// 101 any other way, or an upgrade answered with another status, is the app's error.
    /// </summary>
    private bool CheckSwitchingProtocols(int statusCode)
    {
        if (statusCode == 101 && !_upgrading)
        {
            throw new InvalidOperationException("a 101 Switching Protocols response is sent by the upgrade (gateway.upgrade), not as a body");
        }

        if (_upgrading && statusCode != 101)
        {
            throw new InvalidOperationException($"an upgrade is answered with 101 Switching Protocols, not {statusCode}");
        }

        return _upgrading;
    }
}
