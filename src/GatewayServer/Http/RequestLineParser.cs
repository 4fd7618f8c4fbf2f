namespace GatewayServer.Http;

/// <summary>
/// The request line, <c>method SP request-target SP HTTP-version</c> (RFC 9112 section 3).
/// <see cref="TryScan"/> recognises a well-formed line in the same scan that finds where it ends,
/// so a typical request line is read once; anything it does not recognise goes to
/// <see cref="Parse"/>, which decides exactly what is wrong.
/// </summary>
internal static class RequestLineParser
{
    /// <summary>
    /// Whether <paramref name="text"/> starts with a complete request line that <see cref="Parse"/>
    /// would accept; returns its length without CRLF, or -1 when it is incomplete or has anything
    /// unusual about it. Never throws: a line that is cut short or malformed is for <see cref="Parse"/>.
    /// </summary>
    public static int TryScan(ReadOnlySpan<byte> text, out int methodEnd, out int targetLength, out HttpVersion version)
    {
        version = HttpVersion.Http11;
        targetLength = -1;
        methodEnd = HttpSyntax.IndexOfNonToken(text);
        if (methodEnd <= 0 || text[methodEnd] != (byte)' ')
        {
            return -1;
        }

        // Neither scan can run past the line: CR and LF are neither tchar nor target characters.
        int targetStart = methodEnd + 1;
        targetLength = text[targetStart..].IndexOfAny(HttpSyntax.NonTargetChars);
        int versionStart = targetStart + targetLength + 1;
        if (targetLength <= 0 || text[versionStart - 1] != (byte)' ' || text.Length < versionStart + 10)
        {
            return -1;
        }

        ReadOnlySpan<byte> versionAndEnd = text.Slice(versionStart, 10);
        if (!versionAndEnd.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)versionAndEnd[7])
            || versionAndEnd[8] != (byte)'\r' || versionAndEnd[9] != (byte)'\n')
        {
            return -1;
        }

        version = ServedVersion(versionAndEnd[7]);
        return versionStart + 8;
    }

    /// <summary>
    /// Parses a complete request line (CRLF excluded) into <paramref name="head"/>, or throws the
    /// <see cref="BadHttpRequestException"/> that names the first rule it breaks.
    /// </summary>
    public static void Parse(ReadOnlySpan<byte> line, RequestHead head)
    {
        // A CR before the line's end is judged before anything else on the line: it is where a
        // lenient parser would end the line, and then two parsers would disagree on the head.
        if (line.Contains((byte)'\r'))
        {
            RequestRejection.Throw(RequestRejectionReason.InvalidRequestLine);
        }

        int methodEnd = line.IndexOfAnyExcept(HttpSyntax.TokenChars);
        if (methodEnd <= 0 || line[methodEnd] != (byte)' ')
        {
            RequestRejection.Throw(methodEnd == 0 ? RequestRejectionReason.InvalidMethod : RequestRejectionReason.InvalidRequestLine);
        }

        int targetStart = methodEnd + 1;
        int targetLength = line[targetStart..].IndexOfAny(HttpSyntax.NonTargetChars);
        if (targetLength <= 0 || line[targetStart + targetLength] != (byte)' ')
        {
            RequestRejection.Throw(targetLength == 0 ? RequestRejectionReason.InvalidRequestLine : RequestRejectionReason.InvalidRequestTarget);
        }

        HttpVersion version = ParseVersion(line[(targetStart + targetLength + 1)..]);
        Take(line, head, methodEnd, targetLength, version);
    }

    /// <summary>
    /// Records a request line already found well-formed; the target's form is checked here and
    /// throws when it does not suit the method.
    /// </summary>
    public static void Take(ReadOnlySpan<byte> line, RequestHead head, int methodEnd, int targetLength, HttpVersion version)
    {
        head.Method = new ByteRange(0, methodEnd);
        head.Target = new ByteRange(methodEnd + 1, targetLength);
        head.Version = version;
        RequestTargetParser.Parse(head, line);
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

        return ServedVersion(version[7]);
    }

    /// <summary>RFC 9110 section 2.5: a higher minor version of a major we speak is served as our highest.</summary>
    private static HttpVersion ServedVersion(byte minorDigit) => minorDigit == (byte)'0' ? HttpVersion.Http10 : HttpVersion.Http11;
}
