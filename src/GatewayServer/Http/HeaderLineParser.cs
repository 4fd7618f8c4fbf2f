namespace GatewayServer.Http;

/// <summary>
/// A header field line, <c>field-name ":" OWS field-value OWS</c> (RFC 9112 section 5).
/// <see cref="TryScan"/> recognises a well-formed line in the same two scans that find where it
/// ends (one for the name, one for the value up to its CR), so a typical line is read once;
/// anything it does not recognise goes to <see cref="Parse"/>, which decides exactly what is wrong.
/// </summary>
internal static class HeaderLineParser
{
    /// <summary>
    /// Whether <paramref name="text"/> starts with a complete header line that <see cref="Parse"/>
    /// would accept; returns its length without CRLF, or -1 when it is incomplete or has anything
    /// unusual about it. Never throws: a line that is cut short or malformed is for <see cref="Parse"/>.
    /// </summary>
    public static int TryScan(ReadOnlySpan<byte> text, out int nameEnd)
    {
        // A leading SP or HTAB (obs-fold) is not a tchar, so it ends up with Parse as well.
        nameEnd = HttpSyntax.IndexOfNonToken(text);
        if (nameEnd <= 0 || text[nameEnd] != (byte)':')
        {
            return -1;
        }

        // CR and LF are among the non-field-value characters, so this scan stops at the line's end at the latest.
        int valueStart = nameEnd + 1;
        int valueLength = text[valueStart..].IndexOfAny(HttpSyntax.NonFieldValueChars);
        int lineEnd = valueStart + valueLength;
        if (valueLength < 0 || lineEnd + 1 >= text.Length || text[lineEnd] != (byte)'\r' || text[lineEnd + 1] != (byte)'\n')
        {
            return -1;
        }

        return lineEnd;
    }

    /// <summary>
    /// Parses the complete header line at <paramref name="start"/> in <paramref name="head"/>'s
    /// bytes (CRLF excluded), or throws the <see cref="BadHttpRequestException"/> that names the
    /// first rule it breaks.
    /// </summary>
    public static void Parse(ReadOnlySpan<byte> headBytes, int start, int length, RequestHead head, ref FramingHeaders framing)
    {
        ReadOnlySpan<byte> line = headBytes.Slice(start, length);

        // A CR before the line's end is judged before anything else on the line: it is where a
        // lenient parser would end the line, and then two parsers would disagree on the fields.
        if (line.Contains((byte)'\r'))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidHeaderValue);
        }

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

        if (line[(nameEnd + 1)..].ContainsAny(HttpSyntax.NonFieldValueChars))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidHeaderValue);
        }

        Take(headBytes, start, length, nameEnd, head, ref framing);
    }

    /// <summary>
    /// Records a header line already found well-formed, its value trimmed of OWS; the framing
    /// headers among them are checked here and throw when their values are not acceptable.
    /// </summary>
    public static void Take(ReadOnlySpan<byte> headBytes, int start, int length, int nameEnd, RequestHead head, ref FramingHeaders framing)
    {
        ReadOnlySpan<byte> line = headBytes.Slice(start, length);
        ReadOnlySpan<byte> value = HttpSyntax.TrimOptionalWhitespace(line[(nameEnd + 1)..], out int leading);
        var field = new HeaderField(new ByteRange(start, nameEnd), new ByteRange(start + nameEnd + 1 + leading, value.Length));
        head.AddHeader(field);
        framing.Observe(line[..nameEnd], value, field.Value);
    }
}
