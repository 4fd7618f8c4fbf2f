using System.Text;

namespace GatewayServer.Http;

/// <summary>
/// Collects the headers that decide how a request is framed and whether the connection persists
/// (Content-Length, Transfer-Encoding, Host, Connection, Expect, Upgrade) while the head is parsed, then
/// checks them together: a request that two parsers could frame differently is refused (RFC 9112
/// sections 6.1-6.3 and 11.2, request smuggling).
/// </summary>
internal struct FramingHeaders
{
    private long _contentLength;
    private bool _hasContentLength;
    private bool _hasTransferEncoding;
    private int _chunkedCount;
    private bool _chunkedLast;
    private bool _unknownCoding;
    private int _hostCount;
    private ByteRange _host;
    private bool _connectionClose;
    private bool _connectionKeepAlive;
    private bool _connectionUpgrade;
    private bool _hasUpgrade;
    private bool _expectContinue;

    public void Observe(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ByteRange valueRange)
    {
        switch (name.Length)
        {
            case 4 when IsName(name, "host"u8):
                _hostCount++;
                _host = valueRange;
                // RFC 9112 section 3.2: a Host with an invalid value is answered with 400.
                if (!AuthoritySyntax.IsValid(value, allowEmpty: true, requirePort: false))
                {
                    RequestRejection.Throw(RequestRejectionReason.InvalidHost);
                }

                break;
            case 6 when IsName(name, "expect"u8):
                if (!Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                {
                    RequestRejection.Throw(RequestRejectionReason.UnsupportedExpectation);
                }

                _expectContinue = true;
                break;
            case 7 when IsName(name, "upgrade"u8):
                _hasUpgrade |= !HttpSyntax.TrimOptionalWhitespace(value).IsEmpty;
                break;
            case 10 when IsName(name, "connection"u8):
                ObserveConnection(value);
                break;
            case 14 when IsName(name, "content-length"u8):
                ObserveContentLength(value);
                break;
            case 17 when IsName(name, "transfer-encoding"u8):
                ObserveTransferEncoding(value);
                break;
        }
    }

    public readonly void Apply(RequestHead head, HttpLimits limits)
    {
        if (_hostCount > 1)
        {
            RequestRejection.Throw(RequestRejectionReason.MultipleHost);
        }

        // RFC 9112 section 3.2: a 1.1 request without Host is refused, even with an absolute target.
        if (_hostCount == 0 && head.Version == HttpVersion.Http11)
        {
            RequestRejection.Throw(RequestRejectionReason.MissingHost);
        }

        head.HasHost = _hostCount == 1;
        head.Host = _host;
        head.ExpectContinue = _expectContinue && head.Version == HttpVersion.Http11;
        head.KeepAlive = head.Version == HttpVersion.Http11 ? !_connectionClose : _connectionKeepAlive && !_connectionClose;

        // RFC 9110 section 7.8: Upgrade counts only when Connection names it (a proxy that does not
        // know it then drops both); RFC 9112 section 9.9 (HTTP/1.0 ignores it). A request with a body
        // is not upgraded: its body and the new protocol's bytes could not be told apart.
        head.CanUpgrade = _hasUpgrade && _connectionUpgrade && head.Version == HttpVersion.Http11
            && !_hasTransferEncoding && (!_hasContentLength || _contentLength == 0);

        if (_hasTransferEncoding)
        {
            if (head.Version == HttpVersion.Http10)
            {
                RequestRejection.Throw(RequestRejectionReason.TransferEncodingOnHttp10);
            }

            if (_hasContentLength)
            {
                RequestRejection.Throw(RequestRejectionReason.TransferEncodingWithContentLength);
            }

            // RFC 9112 section 6.3: when chunked is not the final coding the length cannot be
            // determined, which is a 400 whatever the other codings are; chunked twice is the same.
            if (_chunkedCount != 1 || !_chunkedLast)
            {
                RequestRejection.Throw(RequestRejectionReason.ChunkedNotFinal);
            }

            // RFC 9112 section 6.1: a coding we do not implement (gzip, chunked) is a 501.
            if (_unknownCoding)
            {
                RequestRejection.Throw(RequestRejectionReason.UnsupportedTransferCoding);
            }

            head.Framing = BodyFraming.Chunked;
            return;
        }

        if (_hasContentLength)
        {
            if (limits.MaxBodySize >= 0 && _contentLength > limits.MaxBodySize)
            {
                RequestRejection.Throw(RequestRejectionReason.BodyTooLarge);
            }

            head.Framing = _contentLength > 0 ? BodyFraming.ContentLength : BodyFraming.None;
            head.ContentLength = _contentLength;
        }
    }

    private void ObserveContentLength(ReadOnlySpan<byte> value)
    {
        if (!TryParseDecimal(value, out long length))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidContentLength);
        }

        if (_hasContentLength && length != _contentLength)
        {
            RequestRejection.Throw(RequestRejectionReason.MultipleContentLength);
        }

        _hasContentLength = true;
        _contentLength = length;
    }

    private void ObserveTransferEncoding(ReadOnlySpan<byte> value)
    {
        _hasTransferEncoding = true;
        foreach (Range range in value.Split((byte)','))
        {
            ReadOnlySpan<byte> coding = HttpSyntax.TrimOptionalWhitespace(value[range]);
            if (coding.IsEmpty)
            {
                continue;
            }

            _chunkedLast = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            if (_chunkedLast)
            {
                _chunkedCount++;
            }
            else
            {
                _unknownCoding = true;
            }
        }
    }

    private void ObserveConnection(ReadOnlySpan<byte> value)
    {
        foreach (Range range in value.Split((byte)','))
        {
            ReadOnlySpan<byte> option = HttpSyntax.TrimOptionalWhitespace(value[range]);
            _connectionClose |= Ascii.EqualsIgnoreCase(option, "close"u8);
            _connectionKeepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
            _connectionUpgrade |= Ascii.EqualsIgnoreCase(option, "upgrade"u8);
        }
    }

    /// <summary>
    /// Whether <paramref name="name"/> is <paramref name="lowerCase"/> in any case. Common headers
    /// share a length with one of ours (User-Agent with Connection, Accept and Cookie with Expect),
    /// so the first letter turns them away before the full comparison. A tchar that is not a letter
    /// never ORs to a lower-case letter, so the shortcut refuses nothing the comparison would accept.
    /// </summary>
    private static bool IsName(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase) =>
        (name[0] | 0x20) == lowerCase[0] && Ascii.EqualsIgnoreCase(name, lowerCase);

    /// <summary>Digits only (no sign, no spaces, no list), and never wraps past <see cref="long.MaxValue"/>.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9 || value > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
