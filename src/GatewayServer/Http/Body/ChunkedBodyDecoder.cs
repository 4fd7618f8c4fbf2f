namespace GatewayServer.Http.Body;

/// <summary>
/// Decodes the chunked transfer coding (RFC 9112 section 7.1) from bytes that may arrive split at
/// any point. The state machine moves byte by byte through the framing, so nothing is buffered,
/// and hands back chunk data as ranges of the caller's input, so nothing is copied. Sizes are
/// hex digits only (at most 16, so no value wraps), every line ends in CRLF, extensions are
/// checked against their grammar and bounded, and trailer fields are checked, bounded and
/// dropped: they never reach the app, so a framing header in a trailer changes nothing.
/// </summary>
public sealed class ChunkedBodyDecoder
{
    private readonly HttpLimits _limits;
    private State _state = State.SizeStart;
    private long _chunkRemaining;
    private long _bodyLength;
    private int _extensionLength;
    private int _trailerLength;
    private int _sizeDigits;

    public ChunkedBodyDecoder(HttpLimits limits)
    {
        _limits = limits;
    }

    private enum State
    {
        SizeStart,
        Size,
        Extension,
        ExtensionQuoted,
        ExtensionQuotedPair,
        SizeLineFeed,
        Data,
        DataCarriageReturn,
        DataLineFeed,
        TrailerLineStart,
        TrailerName,
        TrailerValue,
        TrailerLineFeed,
        FinalLineFeed,
        Done,
    }

    /// <summary>Starts over for the next request's body.</summary>
    public void Reset()
    {
        _state = State.SizeStart;
        _chunkRemaining = 0;
        _bodyLength = 0;
        _extensionLength = 0;
        _trailerLength = 0;
        _sizeDigits = 0;
    }

    /// <summary>Whether the terminating chunk and trailer section have been read.</summary>
    public bool IsComplete => _state == State.Done;

    /// <summary>The number of body bytes decoded so far.</summary>
    public long BodyLength => _bodyLength;

    /// <summary>
    /// Consumes framing from <paramref name="input"/> until it reaches chunk data, the end of the
    /// body, or the end of the input. Returns the data found as a range of <paramref name="input"/>
    /// (empty when none), at most <paramref name="maxData"/> bytes; <paramref name="consumed"/>
    /// counts framing and data bytes used.
    /// </summary>
    public ByteRange Decode(ReadOnlySpan<byte> input, int maxData, out int consumed)
    {
        int i = 0;
        while (i < input.Length && _state != State.Done)
        {
            if (_state == State.Data)
            {
                int take = (int)Math.Min(_chunkRemaining, Math.Min(input.Length - i, maxData));
                _chunkRemaining -= take;
                if (_chunkRemaining == 0)
                {
                    _state = State.DataCarriageReturn;
                }

                consumed = i + take;
                return new ByteRange(i, take);
            }

            Step(input[i]);
            i++;
        }

        consumed = i;
        return ByteRange.Empty;
    }

    private void Step(byte b)
    {
        switch (_state)
        {
            case State.SizeStart:
                _chunkRemaining = HexValue(b);
                _sizeDigits = 1;
                _extensionLength = 0;
                _state = State.Size;
                break;
            case State.Size:
                if (b == (byte)'\r')
                {
                    _state = State.SizeLineFeed;
                }
                else if (b == (byte)';')
                {
                    // Whitespace before ';' (BWS) is refused: parsers disagree on it.
                    _state = State.Extension;
                    CountExtension();
                }
                else
                {
                    AppendHexDigit(b);
                }

                break;
            case State.Extension:
                // RFC 9112 section 7.1.1: chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ),
                // value = token / quoted-string. Outside quotes only those characters may appear.
                if (b == (byte)'\r')
                {
                    _state = State.SizeLineFeed;
                    break;
                }

                CountExtension();
                if (b == (byte)'"')
                {
                    _state = State.ExtensionQuoted;
                }
                else if (b is not ((byte)';' or (byte)'=' or (byte)' ' or (byte)'\t') && !HttpSyntax.TokenChars.Contains(b))
                {
                    RequestRejection.Throw(RequestRejectionReason.InvalidChunkFraming);
                }

                break;
            case State.ExtensionQuoted:
                CountExtension();
                if (b == (byte)'"')
                {
                    _state = State.Extension;
                }
                else if (b == (byte)'\\')
                {
                    _state = State.ExtensionQuotedPair;
                }
                else
                {
                    // qdtext (RFC 9110 section 5.6.4): no CTLs, no DEL, so no CR or LF either.
                    RejectControl(b, RequestRejectionReason.InvalidChunkFraming);
                }

                break;
            case State.ExtensionQuotedPair:
                CountExtension();
                RejectControl(b, RequestRejectionReason.InvalidChunkFraming);
                _state = State.ExtensionQuoted;
                break;
            case State.SizeLineFeed:
                Expect(b, (byte)'\n');
                StartChunk();
                break;
            case State.DataCarriageReturn:
                Expect(b, (byte)'\r');
                _state = State.DataLineFeed;
                break;
            case State.DataLineFeed:
                Expect(b, (byte)'\n');
                _state = State.SizeStart;
                break;
            case State.TrailerLineStart:
                if (b == (byte)'\r')
                {
                    _state = State.FinalLineFeed;
                    break;
                }

                // A trailer field is a field line like a header (RFC 9112 section 7.1.2): a token
                // name, a colon, a value; a line starting with whitespace would be obs-fold.
                CountTrailer();
                if (!HttpSyntax.TokenChars.Contains(b))
                {
                    RequestRejection.Throw(RequestRejectionReason.InvalidTrailer);
                }

                _state = State.TrailerName;
                break;
            case State.TrailerName:
                CountTrailer();
                if (b == (byte)':')
                {
                    _state = State.TrailerValue;
                }
                else if (!HttpSyntax.TokenChars.Contains(b))
                {
                    RequestRejection.Throw(RequestRejectionReason.InvalidTrailer);
                }

                break;
            case State.TrailerValue:
                CountTrailer();
                if (b == (byte)'\r')
                {
                    _state = State.TrailerLineFeed;
                    break;
                }

                RejectControl(b, RequestRejectionReason.InvalidTrailer);
                break;
            case State.TrailerLineFeed:
                Expect(b, (byte)'\n');
                _state = State.TrailerLineStart;
                break;
            case State.FinalLineFeed:
                Expect(b, (byte)'\n');
                _state = State.Done;
                break;
        }
    }

    private void StartChunk()
    {
        if (_chunkRemaining == 0)
        {
            _state = State.TrailerLineStart;
            return;
        }

        if (_limits.MaxBodySize >= 0 && _bodyLength + _chunkRemaining > _limits.MaxBodySize)
        {
            RequestRejection.Throw(RequestRejectionReason.BodyTooLarge);
        }

        _bodyLength += _chunkRemaining;
        _state = State.Data;
    }

    private void AppendHexDigit(byte b)
    {
        long digit = HexValue(b);

        // Sixteen hex digits hold any long; more (even leading zeros) are refused rather than
        // scanned forever, and the shift below can never wrap.
        if (++_sizeDigits > 16 || _chunkRemaining > (long.MaxValue >> 4))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidChunkSize);
        }

        _chunkRemaining = (_chunkRemaining << 4) | digit;
    }

    private void CountExtension()
    {
        if (++_extensionLength > _limits.MaxChunkExtension)
        {
            RequestRejection.Throw(RequestRejectionReason.ChunkExtensionTooLong);
        }
    }

    private void CountTrailer()
    {
        if (++_trailerLength > _limits.MaxTrailerSize)
        {
            RequestRejection.Throw(RequestRejectionReason.TrailersTooLarge);
        }
    }

    /// <summary>CTLs other than HTAB, and DEL, never appear in a value (RFC 9110 section 5.5).</summary>
    private static void RejectControl(byte b, RequestRejectionReason reason)
    {
        if (b != (byte)'\t' && (b < 0x20 || b == 0x7F))
        {
            RequestRejection.Throw(reason);
        }
    }

    private static long HexValue(byte b)
    {
        int value = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        if (value < 0)
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidChunkSize);
        }

        return value;
    }

    private static void Expect(byte actual, byte expected)
    {
        if (actual != expected)
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidChunkFraming);
        }
    }
}
