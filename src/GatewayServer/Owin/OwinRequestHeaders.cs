using System.Text;
using GatewayServer.Http;

namespace GatewayServer.Owin;

/// <summary>
/// <c>owin.RequestHeaders</c> from the head's bytes: case-insensitive names in their usual spelling
/// (<c>User-Agent</c>), a repeated header joined into one value as the environ joins it (<c>"; "</c>
/// for <c>Cookie</c>, <c>", "</c> otherwise). The common names are shared strings, not made per request.
/// </summary>
internal static class OwinRequestHeaders
{
    private static readonly string[] KnownNames =
    [
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Content-Type",
        "Content-Length", "Cookie", "Cache-Control", "Authorization", "Origin", "Referer", "Upgrade",
        "If-None-Match", "If-Modified-Since", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Extensions", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Requested-With",
    ];

    private static readonly byte[][] KnownNameBytes = Array.ConvertAll(KnownNames, Encoding.ASCII.GetBytes);

    public static void Fill(Dictionary<string, string[]> headers, RequestHead head)
    {
        foreach (HeaderField field in head.Headers)
        {
            string name = Name(head[field.Name]);
            string value = HttpRequestParser.DecodeLatin1(head[field.Value]);
            if (headers.TryGetValue(name, out string[]? existing))
            {
                value = existing[0] + (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ") + value;
            }

            headers[name] = [value];
        }
    }

    private static string Name(ReadOnlySpan<byte> name)
    {
        byte[][] known = KnownNameBytes;
        for (int i = 0; i < known.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, known[i]))
            {
                return KnownNames[i];
            }
        }

        return string.Create(name.Length, name.ToArray(), static (span, bytes) =>
        {
            bool wordStart = true;
            for (int i = 0; i < bytes.Length; i++)
            {
                char c = (char)bytes[i];
                span[i] = wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                wordStart = c == '-';
            }
        });
    }
}
