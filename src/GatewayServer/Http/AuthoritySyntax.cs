using System.Buffers;

namespace GatewayServer.Http;

/// <summary>
/// Validates <c>uri-host [ ":" port ]</c> (RFC 9110 section 7.2, RFC 3986 section 3.2): the Host
/// header, an absolute-form target's authority and a CONNECT target. Userinfo is never allowed
/// (RFC 9110 section 4.2.4), so <c>user@host</c> cannot make two parsers disagree on the host.
/// </summary>
internal static class AuthoritySyntax
{
    /// <summary>reg-name and IPv4address: unreserved, sub-delims and '%' of pct-encoded.</summary>
    private static readonly SearchValues<byte> RegNameChars = SearchValues.Create(
        "-._~!$&'()*+,;=%0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>IPv6address and IPvFuture inside brackets.</summary>
    private static readonly SearchValues<byte> IpLiteralChars = SearchValues.Create(
        "-._~!$&'()*+,;=:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Whether <paramref name="authority"/> is a host with an optional port. An empty value is
    /// valid only when <paramref name="allowEmpty"/> (RFC 9110 section 7.2 allows an empty Host).
    /// <paramref name="requirePort"/> is for authority-form (RFC 9112 section 3.2.3).
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> authority, bool allowEmpty, bool requirePort)
    {
        if (authority.IsEmpty)
        {
            return allowEmpty && !requirePort;
        }

        int hostEnd;
        if (authority[0] == (byte)'[')
        {
            int close = authority.IndexOf((byte)']');
            if (close < 2 || authority[1..close].ContainsAnyExcept(IpLiteralChars))
            {
                return false;
            }

            hostEnd = close + 1;
        }
        else
        {
            hostEnd = authority.IndexOfAnyExcept(RegNameChars);
            if (hostEnd < 0)
            {
                hostEnd = authority.Length;
            }

            if (hostEnd == 0 || !HasValidPercentEncoding(authority[..hostEnd]))
            {
                return false;
            }
        }

        ReadOnlySpan<byte> rest = authority[hostEnd..];
        if (rest.IsEmpty)
        {
            return !requirePort;
        }

        // port = *DIGIT; bounded so nobody stores a wrapped number (RFC 3986 section 3.2.3).
        ReadOnlySpan<byte> port = rest[1..];
        return rest[0] == (byte)':' && port.Length <= 5 && !port.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && (!requirePort || !port.IsEmpty);
    }

    private static bool HasValidPercentEncoding(ReadOnlySpan<byte> text)
    {
        for (int i = text.IndexOf((byte)'%'); i >= 0; i = text.IndexOf((byte)'%'))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit((char)text[i + 1]) || !char.IsAsciiHexDigit((char)text[i + 2]))
            {
                return false;
            }

            text = text[(i + 3)..];
        }

        return true;
    }
}
