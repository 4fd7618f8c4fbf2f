using System.Text;

namespace GatewayServer.Http;

/// <summary>
/// Decodes a request path for <c>PATH_INFO</c>: percent-escapes become bytes, the bytes are read
/// as UTF-8, and as Latin-1 when they are not valid UTF-8 (as PEP 3333 does), so no byte is lost.
/// </summary>
internal static class PercentDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> path)
    {
        if (path.IndexOf((byte)'%') < 0 && System.Text.Ascii.IsValid(path))
        {
            return Encoding.ASCII.GetString(path);
        }

        byte[] decoded = new byte[path.Length];
        int length = 0;
        for (int i = 0; i < path.Length; i++)
        {
            byte b = path[i];
            if (b == (byte)'%' && i + 2 < path.Length && IsHex(path[i + 1]) && IsHex(path[i + 2]))
            {
                decoded[length++] = (byte)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = b;
            }
        }

        try
        {
            return StrictUtf8.GetString(decoded, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(decoded, 0, length);
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
