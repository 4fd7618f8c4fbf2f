using System.Text;

namespace GatewayServer.Http.Response;

/// <summary>
/// Checks what an application hands to <c>startResponse</c> before anything is written, so a bad
/// status or header is reported as the application's error (500) and cannot inject headers.
/// </summary>
public static class ResponseHeaderValidator
{
    /// <summary>
    /// Returns null when <paramref name="status"/> is "NNN reason", else what is wrong.
    /// <paramref name="allowSwitchingProtocols"/> lets a 101 through, for a request that may upgrade.
    /// </summary>
    public static string? CheckStatus(string status, bool allowSwitchingProtocols = false)
    {
        if (status.Length < 4 || !char.IsAsciiDigit(status[0]) || !char.IsAsciiDigit(status[1])
            || !char.IsAsciiDigit(status[2]) || status[3] != ' ' || status[0] == '0')
        {
            return $"status \"{status}\" is not a 3-digit code, a space and a reason phrase";
        }

        if ((status[0] is < '2' or > '5') && !(allowSwitchingProtocols && status.StartsWith("101", StringComparison.Ordinal)))
        {
            // RFC 9110 section 15: a 1xx is interim, so a client would take the next response as
            // this request's; the server sends 100 Continue itself, and 101 belongs to an upgrade
            // it accepted (only on a request that may upgrade). Codes past 599 do not exist.
            return $"status \"{status}\" is not a final status (200 to 599): an application cannot answer 1xx";
        }

        return IsFieldValue(status.AsSpan(4)) ? null : "status reason phrase holds a control character";
    }

    /// <summary>Returns null when the header may be sent, else what is wrong with it.</summary>
    public static string? CheckHeader(string name, string value)
    {
        if (name.Length == 0 || !IsToken(name))
        {
            return $"header name \"{name}\" is not a token";
        }

        if (!IsFieldValue(value))
        {
            return $"header \"{name}\" has a value with CR, LF, NUL or another control character";
        }

        return IsServerOwned(name) ? $"header \"{name}\" is hop-by-hop and belongs to the server" : null;
    }

    /// <summary>Headers that describe the connection or its framing, which only the server sets.</summary>
    public static bool IsServerOwned(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase);

    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (c > 0x7F || !HttpSyntax.TokenChars.Contains((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFieldValue(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (c > 0xFF || !HttpSyntax.FieldValueChars.Contains((byte)c))
            {
                return false;
            }
        }

        return true;
    }
}
