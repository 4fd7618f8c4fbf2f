using System.Buffers.Text;

namespace GatewayServer.Http.Response;

/// <summary>
/// Writes a response status line and header section (RFC 9112 section 4 and 5) into a span.
/// Header names and values from the application are checked as they are copied: a name that is
/// not a token, or a value with CR, LF, NUL or another control character, is the application's
/// error and never reaches the wire, so no header can be injected.
/// </summary>
public static class ResponseHeadWriter
{
    /// <summary>The most bytes <see cref="WriteStatusLine(Span{byte}, HttpVersion, string)"/> and the fixed headers can need beyond the app's headers.</summary>
    public const int FixedOverhead = 256;

    public static int WriteStatusLine(Span<byte> destination, HttpVersion version, string status)
    {
        ReadOnlySpan<byte> prefix = version == HttpVersion.Http11 ? "HTTP/1.1 "u8 : "HTTP/1.0 "u8;
        prefix.CopyTo(destination);
        int written = prefix.Length;
        written += WriteLatin1(destination[written..], status);
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    /// <summary>Writes "HTTP/1.x CODE REASON" for a numeric status (the code is three digits, 100 to 999).</summary>
    public static int WriteStatusLine(Span<byte> destination, HttpVersion version, int statusCode, string reason)
    {
        ReadOnlySpan<byte> prefix = version == HttpVersion.Http11 ? "HTTP/1.1 "u8 : "HTTP/1.0 "u8;
        prefix.CopyTo(destination);
        int written = prefix.Length;
        destination[written++] = (byte)('0' + (statusCode / 100));
        destination[written++] = (byte)('0' + (statusCode / 10 % 10));
        destination[written++] = (byte)('0' + (statusCode % 10));
        destination[written++] = (byte)' ';
        written += WriteLatin1(destination[written..], reason);
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    public static int WriteHeader(Span<byte> destination, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        name.CopyTo(destination);
        int written = name.Length;
        ": "u8.CopyTo(destination[written..]);
        written += 2;
        value.CopyTo(destination[written..]);
        written += value.Length;
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    public static int WriteHeader(Span<byte> destination, string name, string value)
    {
        int written = WriteLatin1(destination, name);
        ": "u8.CopyTo(destination[written..]);
        written += 2;
        written += WriteLatin1(destination[written..], value);
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    public static int WriteContentLength(Span<byte> destination, long length)
    {
        "Content-Length: "u8.CopyTo(destination);
        int written = "Content-Length: "u8.Length;
        Utf8Formatter.TryFormat(length, destination[written..], out int digits);
        written += digits;
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    /// <summary>The number of bytes <see cref="WriteHeader(Span{byte}, string, string)"/> needs.</summary>
    public static int MeasureHeader(string name, string value) => name.Length + value.Length + 4;

    private static int WriteLatin1(Span<byte> destination, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }
}
