using System.Text;

namespace GatewayServer.Http;

/// <summary>
/// Parses a request head (RFC 9112 sections 2-3 and 5-6) strictly, in one pass: each line is
/// parsed where it is found, as its bytes arrive, and its limit is checked as soon as it is seen
/// (a client cannot make the parser buffer more than the limits allow). One instance per connection.
/// </summary>
/// <remarks>
/// A broken line or limit anywhere in the head (bare LF, a line too long, too many fields) is
/// refused as soon as it is seen, while what is wrong inside a line (a bad method, header name,
/// Content-Length...) is only kept until the head is complete and refused then, the first one
/// found. That keeps which fault outranks which, and so the status code, the same whether the
/// head arrives whole or in pieces, as it was when heads were framed whole before being parsed.
/// </remarks>
public sealed class HttpRequestParser
{
    private const int MaxLeadingEmptyLines = 4;

    private readonly HttpLimits _limits;
    private int _scanned;
    private int _lines;
    private int _headStart;
    private FramingHeaders _framing;
    private RequestRejectionReason? _fault;

    public HttpRequestParser(HttpLimits limits)
    {
        _limits = limits;
    }

    /// <summary>Whether part of a request head has been seen (used to tell a timeout from an idle connection).</summary>
    public bool HasPartialHead => _scanned > 0;

    /// <summary>
    /// Tries to parse a request head at the start of <paramref name="buffer"/>. Call again with the
    /// same buffer start, the same <paramref name="head"/> and more bytes after <c>false</c>: the
    /// lines already parsed are in <paramref name="head"/>. On success <paramref name="consumed"/>
    /// is the length of the head (including leading empty lines) and the parser is ready for the
    /// next request. Throws <see cref="BadHttpRequestException"/> on a malformed head.
    /// </summary>
    public bool TryParseHead(ReadOnlySpan<byte> buffer, RequestHead head, out int consumed)
    {
        int position = _scanned;
        while (true)
        {
            if (buffer[position..].StartsWith("\r\n"u8))
            {
                position += 2;
                if (_lines > 0)
                {
                    Complete(buffer[_headStart..position], head);
                    consumed = position;
                    Reset();
                    return true;
                }

                // RFC 9112 section 2.2: a server SHOULD ignore empty lines before the request line.
                _headStart = position;
                if (_headStart > MaxLeadingEmptyLines * 2)
                {
                    RequestRejection.Throw(RequestRejectionReason.InvalidRequestLine);
                }

                continue;
            }

            int length = _lines == 0
                ? TakeRequestLine(buffer[position..], head)
                : TakeHeaderLine(buffer[_headStart..], position - _headStart, head);
            if (length < 0)
            {
                _scanned = position;
                consumed = 0;
                return false;
            }

            position += length + 2;
        }
    }

    /// <summary>Forgets a partly seen head; called when a connection starts over or is reused.</summary>
    public void Reset()
    {
        _scanned = 0;
        _lines = 0;
        _headStart = 0;
    }

    /// <summary>Takes the request line at the start of <paramref name="text"/>; returns its length, or -1 until it is complete.</summary>
    private int TakeRequestLine(ReadOnlySpan<byte> text, RequestHead head)
    {
        int length = RequestLineParser.TryScan(text, out int methodEnd, out int targetLength, out HttpVersion version);
        bool wellFormed = length >= 0;
        if (!wellFormed && (length = MeasureLine(text, _limits.MaxRequestLine, RequestRejectionReason.RequestLineTooLong)) < 0)
        {
            return -1;
        }

        CountLine(length, _limits.MaxRequestLine, RequestRejectionReason.RequestLineTooLong);

        // A new head starts here: nothing of the previous request may leak into this one.
        _framing = default;
        _fault = null;
        head.Begin();
        try
        {
            if (wellFormed)
            {
                RequestLineParser.Take(text[..length], head, methodEnd, targetLength, version);
            }
            else
            {
                RequestLineParser.Parse(text[..length], head);
            }
        }
        catch (BadHttpRequestException error)
        {
            _fault = error.Reason;
        }

        return length;
    }

    /// <summary>Takes the header line at <paramref name="start"/> of the head; returns its length, or -1 until it is complete.</summary>
    private int TakeHeaderLine(ReadOnlySpan<byte> headBytes, int start, RequestHead head)
    {
        ReadOnlySpan<byte> text = headBytes[start..];
        int length = HeaderLineParser.TryScan(text, out int nameEnd);
        bool wellFormed = length >= 0;
        if (!wellFormed && (length = MeasureLine(text, _limits.MaxHeaderFieldSize, RequestRejectionReason.HeaderFieldTooLarge)) < 0)
        {
            return -1;
        }

        CountLine(length, _limits.MaxHeaderFieldSize, RequestRejectionReason.HeaderFieldTooLarge);
        if (_fault is not null)
        {
            return length;
        }

        try
        {
            if (wellFormed)
            {
                HeaderLineParser.Take(headBytes, start, length, nameEnd, head, ref _framing);
            }
            else
            {
                HeaderLineParser.Parse(headBytes, start, length, head, ref _framing);
            }
        }
        catch (BadHttpRequestException error)
        {
            _fault = error.Reason;
        }

        return length;
    }

    /// <summary>
    /// The length (CRLF excluded) of a line the scans did not recognise, or -1 while its LF has not
    /// arrived; throws when the line is not ended by CRLF or is already longer than its limit.
    /// </summary>
    private static int MeasureLine(ReadOnlySpan<byte> text, int lineLimit, RequestRejectionReason tooLong)
    {
        int lf = text.IndexOf((byte)'\n');
        if (lf < 0)
        {
            if (text.Length > lineLimit + 1)
            {
                RequestRejection.Throw(tooLong);
            }

            return -1;
        }

        if (lf == 0 || text[lf - 1] != (byte)'\r')
        {
            RequestRejection.Throw(RequestRejectionReason.BareLineFeed);
        }

        return lf - 1;
    }

    /// <summary>Enforces the limits every complete line is held to: its length and how many lines there are.</summary>
    private void CountLine(int length, int lineLimit, RequestRejectionReason tooLong)
    {
        if (length > lineLimit)
        {
            RequestRejection.Throw(tooLong);
        }

        _lines++;
        if (_lines - 1 > _limits.MaxHeaderCount)
        {
            RequestRejection.Throw(RequestRejectionReason.TooManyHeaders);
        }
    }

    private void Complete(ReadOnlySpan<byte> raw, RequestHead head)
    {
        if (_fault is { } fault)
        {
            RequestRejection.Throw(fault);
        }

        head.Load(raw);
        _framing.Apply(head, _limits);
    }

    /// <summary>Decodes a header value the way PEP 3333 does: as Latin-1, so no byte is lost.</summary>
    public static string DecodeLatin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
