using System.Buffers;

namespace GatewayServer.Http;

/// <summary>The character classes of RFC 9110 section 5.6, as vectorisable search sets.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: the characters of a token (method, header name, transfer coding).</summary>
    public static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>What a header value may hold: VCHAR, obs-text, SP and HTAB (section 5.5); no CTLs, no DEL.</summary>
    public static readonly SearchValues<byte> FieldValueChars = SearchValues.Create(BuildFieldValueChars());

    /// <summary>What a request-target may hold: visible ASCII and, leniently, obs-text; never SP, CTLs, DEL or '#'.</summary>
    public static readonly SearchValues<byte> TargetChars = SearchValues.Create(BuildTargetChars());

    public static bool IsToken(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    public static bool IsOptionalWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    public static ReadOnlySpan<byte> TrimOptionalWhitespace(ReadOnlySpan<byte> text) => TrimOptionalWhitespace(text, out _);

    /// <summary>Trims SP and HTAB on both sides; <paramref name="start"/> is where the result begins in <paramref name="text"/>.</summary>
    public static ReadOnlySpan<byte> TrimOptionalWhitespace(ReadOnlySpan<byte> text, out int start)
    {
        start = 0;
        while (start < text.Length && IsOptionalWhitespace(text[start]))
        {
            start++;
        }

        int end = text.Length;
        while (end > start && IsOptionalWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private static byte[] BuildFieldValueChars()
    {
        var chars = new List<byte> { (byte)'\t' };
        for (int b = 0x20; b <= 0xFF; b++)
        {
            if (b != 0x7F)
            {
                chars.Add((byte)b);
            }
        }

        return [.. chars];
    }

    private static byte[] BuildTargetChars()
    {
        var chars = new List<byte>();
        for (int b = 0x21; b <= 0xFF; b++)
        {
            if (b is not 0x7F and not '#')
            {
                chars.Add((byte)b);
            }
        }

        return [.. chars];
    }
}
