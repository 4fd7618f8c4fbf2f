using System.Buffers;

namespace GatewayServer.Http;

/// <summary>The character classes of RFC 9110 section 5.6, as vectorisable search sets.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: the characters of a token (method, header name, transfer coding).</summary>
    public static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>What a header value may hold: VCHAR, obs-text, SP and HTAB (section 5.5); no CTLs, no DEL.</summary>
    public static readonly SearchValues<byte> FieldValueChars = SearchValues.Create(Bytes(IsFieldValueChar, member: true));

    /// <summary>
    /// What a header value may not hold: the other 32 bytes. Searching for the first of these finds
    /// what searching past <see cref="FieldValueChars"/> finds, but an ASCII-only set is searched
    /// with one table lookup per vector instead of two, and request parsing does this for every line.
    /// </summary>
    public static readonly SearchValues<byte> NonFieldValueChars = SearchValues.Create(Bytes(IsFieldValueChar, member: false));

    /// <summary>
    /// What ends or breaks a request-target: SP, CTLs, DEL and '#'. A target may hold visible ASCII
    /// and, leniently, obs-text; like <see cref="NonFieldValueChars"/> the ASCII-only side is the one searched.
    /// </summary>
    public static readonly SearchValues<byte> NonTargetChars = SearchValues.Create(Bytes(b => b > 0x20 && b != 0x7F && b != '#', member: false));

    /// <summary><see cref="TokenChars"/> as a table, for <see cref="IndexOfNonToken"/>.</summary>
    private static readonly bool[] TokenTable = BuildTable(TokenChars);

    /// <summary>
    /// What <c>text.IndexOfAnyExcept(TokenChars)</c> returns. Methods and header names are a few
    /// bytes long, and for those a table lookup per byte is cheaper than setting up a vector search
    /// (which took a third of the time spent scanning a typical header line); past 32 bytes the
    /// vector search takes over, so a long run of tchars arriving a byte at a time stays cheap.
    /// </summary>
    public static int IndexOfNonToken(ReadOnlySpan<byte> text)
    {
        const int ShortToken = 32;
        bool[] table = TokenTable;
        int end = Math.Min(text.Length, ShortToken);
        for (int i = 0; i < end; i++)
        {
            if (!table[text[i]])
            {
                return i;
            }
        }

        if (text.Length <= ShortToken)
        {
            return -1;
        }

        int rest = text[ShortToken..].IndexOfAnyExcept(TokenChars);
        return rest < 0 ? -1 : ShortToken + rest;
    }

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

    private static bool[] BuildTable(SearchValues<byte> chars)
    {
        var table = new bool[256];
        for (int b = 0; b < table.Length; b++)
        {
            table[b] = chars.Contains((byte)b);
        }

        return table;
    }

    private static bool IsFieldValueChar(int b) => b == '\t' || (b >= 0x20 && b != 0x7F);

    /// <summary>The bytes for which <paramref name="isChar"/> is <paramref name="member"/>.</summary>
    private static byte[] Bytes(Func<int, bool> isChar, bool member)
    {
        var bytes = new List<byte>();
        for (int b = 0; b <= 0xFF; b++)
        {
            if (isChar(b) == member)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
