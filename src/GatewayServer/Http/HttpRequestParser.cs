using System.Text;

namespace GatewayServer.Http;

/// <summary>
/// Parses a request head (RFC 9112 sections 2-3 and 5-6) strictly. Bytes arrive in pieces, so the
/// parser first finds the end of the head line by line, checking each line against its limit as
/// soon as it is seen (a client cannot make it buffer more than the limits allow), and only then
/// parses the whole head in one pass into a <see cref="RequestHead"/>. One instance per connection.
/// </summary>
public sealed class HttpRequestParser
{
    private const int MaxLeadingEmptyLines = 4;

    private readonly HttpLimits _limits;
    private int _scanned;
    private int _lines;
    private int _headStart;

    public HttpRequestParser(HttpLimits limits)
    {
        _limits = limits;
    }

    /// <summary>Whether part of a request head has been seen (used to tell a timeout from an idle connection).</summary>
    public bool HasPartialHead => _scanned > 0;

    /// <summary>
    /// Tries to parse a request head at the start of <paramref name="buffer"/>. Call again with the
    /// same buffer start and more bytes after <c>false</c>. On success <paramref name="consumed"/>
    /// is the length of the head (including leading empty lines) and the parser is ready for the
    /// next request. Throws <see cref="BadHttpRequestException"/> on a malformed head.
    /// </summary>
    public bool TryParseHead(ReadOnlySpan<byte> buffer, RequestHead head, out int consumed)
    {
        int position = _scanned;
        while (true)
        {
            int lineLimit = _lines == 0 ? _limits.MaxRequestLine : _limits.MaxHeaderFieldSize;
            int lf = buffer[position..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                if (buffer.Length - position > lineLimit + 1)
                {
                    RequestRejection.Throw(_lines == 0 ? RequestRejectionReason.RequestLineTooLong : RequestRejectionReason.HeaderFieldTooLarge);
                }

                _scanned = position;
                consumed = 0;
                return false;
            }

            int lineEnd = position + lf;
            if (lf == 0 || buffer[lineEnd - 1] != (byte)'\r')
            {
                RequestRejection.Throw(RequestRejectionReason.BareLineFeed);
            }

            int lineLength = lf - 1;
            if (lineLength > lineLimit)
            {
                RequestRejection.Throw(_lines == 0 ? RequestRejectionReason.RequestLineTooLong : RequestRejectionReason.HeaderFieldTooLarge);
            }

            position = lineEnd + 1;
            if (lineLength == 0)
            {
                if (_lines > 0)
                {
                    Parse(buffer[_headStart..position], head);
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

            _lines++;
            if (_lines - 1 > _limits.MaxHeaderCount)
            {
                RequestRejection.Throw(RequestRejectionReason.TooManyHeaders);
            }
        }
    }

    /// <summary>Forgets a partly seen head; called when a connection starts over or is reused.</summary>
    public void Reset()
    {
        _scanned = 0;
        _lines = 0;
        _headStart = 0;
    }

    private void Parse(ReadOnlySpan<byte> raw, RequestHead head)
    {
        head.Load(raw);
        ReadOnlySpan<byte> bytes = head.Bytes;
        int lineEnd = bytes.IndexOf((byte)'\r');
        if (bytes[lineEnd + 1] != (byte)'\n')
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidRequestLine);
        }

        ParseRequestLine(bytes[..lineEnd], head);

        var framing = new FramingHeaders();
        int position = lineEnd + 2;
        while (position < bytes.Length - 2)
        {
            int length = bytes[position..].IndexOf((byte)'\r');
            if (bytes[position + length + 1] != (byte)'\n')
            {
                RequestRejection.Throw(RequestRejectionReason.InvalidHeaderValue);
            }

            ParseHeaderLine(bytes, position, length, head, ref framing);
            position += length + 2;
        }

        framing.Apply(head, _limits);
    }

    private static void ParseRequestLine(ReadOnlySpan<byte> line, RequestHead head)
    {
        int methodEnd = line.IndexOfAnyExcept(HttpSyntax.TokenChars);
        if (methodEnd <= 0 || line[methodEnd] != (byte)' ')
        {
            RequestRejection.Throw(methodEnd == 0 ? RequestRejectionReason.InvalidMethod : RequestRejectionReason.InvalidRequestLine);
        }

        int targetStart = methodEnd + 1;
        int targetLength = line[targetStart..].IndexOfAnyExcept(HttpSyntax.TargetChars);
        if (targetLength <= 0 || line[targetStart + targetLength] != (byte)' ')
        {
            RequestRejection.Throw(targetLength == 0 ? RequestRejectionReason.InvalidRequestLine : RequestRejectionReason.InvalidRequestTarget);
        }

        head.Method = new ByteRange(0, methodEnd);
        head.Target = new ByteRange(targetStart, targetLength);
        head.Version = ParseVersion(line[(targetStart + targetLength + 1)..]);
        RequestTargetParser.Parse(head);
    }

    private static HttpVersion ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || version[6] != (byte)'.'
            || !char.IsAsciiDigit((char)version[5]) || !char.IsAsciiDigit((char)version[7]))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidVersion);
        }

        if (version[5] != (byte)'1')
        {
            RequestRejection.Throw(RequestRejectionReason.UnsupportedVersion);
        }

        // RFC 9110 section 2.5: a higher minor version of a major we speak is served as our highest.
        return version[7] == (byte)'0' ? HttpVersion.Http10 : HttpVersion.Http11;
    }

    private static void ParseHeaderLine(ReadOnlySpan<byte> bytes, int start, int length, RequestHead head, ref FramingHeaders framing)
    {
        ReadOnlySpan<byte> line = bytes.Slice(start, length);
        if (HttpSyntax.IsOptionalWhitespace(line[0]))
        {
            RequestRejection.Throw(RequestRejectionReason.ObsoleteLineFolding);
        }

        int nameEnd = line.IndexOfAnyExcept(HttpSyntax.TokenChars);
        if (nameEnd < 0)
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidHeaderName);
        }

        if (line[nameEnd] != (byte)':')
        {
            RequestRejection.Throw(HttpSyntax.IsOptionalWhitespace(line[nameEnd]) && nameEnd > 0
                ? RequestRejectionReason.WhitespaceBeforeColon
                : RequestRejectionReason.InvalidHeaderName);
        }

        if (nameEnd == 0)
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidHeaderName);
        }

        ReadOnlySpan<byte> rawValue = line[(nameEnd + 1)..];
        if (rawValue.ContainsAnyExcept(HttpSyntax.FieldValueChars))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidHeaderValue);
        }

        int leading = rawValue.IndexOfAnyExcept((byte)' ', (byte)'\t');
        ReadOnlySpan<byte> value = leading < 0 ? [] : HttpSyntax.TrimOptionalWhitespace(rawValue[leading..]);
        int valueStart = leading < 0 ? start + length : start + nameEnd + 1 + leading;
        var field = new HeaderField(new ByteRange(start, nameEnd), new ByteRange(valueStart, value.Length));
        head.AddHeader(field);
        framing.Observe(line[..nameEnd], value, field.Value);
    }

    /// <summary>Decodes a header value the way PEP 3333 does: as Latin-1, so no byte is lost.</summary>
    public static string DecodeLatin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
