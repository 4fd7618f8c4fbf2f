using System.Buffers;

namespace GatewayServer.Engine;

/// <summary>
/// What an <c>X-Forwarded-Prefix</c> may be before it becomes <c>SCRIPT_NAME</c>: a clean absolute
/// path. Applications build links and redirects from <c>SCRIPT_NAME</c>, so <c>//evil.example</c>
/// (a network-path reference, RFC 3986 section 4.2, which browsers follow to another host),
/// <c>/a/../b</c>, a backslash (which browsers read as <c>/</c>) or a CR/LF would turn a header into
/// an open redirect or a split response. Anything but segments of RFC 3986 <c>pchar</c> characters
/// without <c>%</c> is refused whole: a prefix is the literal path an operator wrote into the
/// proxy's configuration, so it is never percent-encoded, and <c>%2e%2e</c> or <c>%2f</c> would only
/// be decoded by someone else later.
/// </summary>
internal static class ForwardedPrefix
{
    /// <summary>RFC 3986 <c>pchar</c> without <c>pct-encoded</c>: unreserved, sub-delims, <c>:</c> and <c>@</c>; no <c>,</c>, which separates list entries.</summary>
    private static readonly SearchValues<char> SegmentChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+;=:@");

    /// <summary>
    /// The prefix without its trailing slash (<c>/app/</c> gives <c>/app</c>, <c>/</c> gives the
    /// empty prefix), or null when <paramref name="value"/> is not a clean absolute path: it must
    /// start with one <c>/</c> and consist of non-empty segments other than <c>.</c> and
    /// <c>..</c>, made of letters, digits and <c>- . _ ~ ! $ &amp; ' ( ) * + ; = : @</c>.
    /// </summary>
    public static string? Clean(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value[0] != '/')
        {
            return null;
        }

        ReadOnlySpan<char> path = value.Length > 1 && value[^1] == '/' ? value[..^1] : value;
        if (path.Length == 1)
        {
            return string.Empty;
        }

        ReadOnlySpan<char> rest = path[1..];
        while (true)
        {
            int slash = rest.IndexOf('/');
            ReadOnlySpan<char> segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty || segment is "." or ".." || segment.ContainsAnyExcept(SegmentChars))
            {
                return null;
            }

            if (slash < 0)
            {
                return path.ToString();
            }

            rest = rest[(slash + 1)..];
        }
    }
}
