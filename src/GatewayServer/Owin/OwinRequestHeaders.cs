using System.Text;
using GatewayServer.Engine;
using GatewayServer.Http;

namespace GatewayServer.Owin;

/// <summary>
/// <c>owin.RequestHeaders</c> from the head's bytes: case-insensitive names in their usual spelling
/// (<c>User-Agent</c>), a repeated header joined into one value as the environ joins it (<c>"; "</c>
/// for <c>Cookie</c>, <c>", "</c> otherwise). The common names are shared strings, and a value
/// the connection's previous request carried at the same position is handed out again, array and
/// all (unless the app changed the array): a client repeating its headers costs no allocation.
/// </summary>
internal sealed class OwinRequestHeaders
{
    private static readonly string[] KnownNames =
    [
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Content-Type",
        "Content-Length", "Cookie", "Cache-Control", "Authorization", "Origin", "Referer", "Upgrade",
        "If-None-Match", "If-Modified-Since", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Extensions", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Requested-With",
    ];

    private static readonly byte[][] KnownNameBytes = Array.ConvertAll(KnownNames, Encoding.ASCII.GetBytes);

    private readonly RepeatedStrings _values = new();
    private string[]?[] _arrays = new string[]?[8];

    public void Fill(Dictionary<string, string[]> headers, RequestHead head)
    {
        ReadOnlySpan<HeaderField> fields = head.Headers;
        for (int slot = 0; slot < fields.Length; slot++)
        {
            string name = Name(head[fields[slot].Name]);
            string value = _values.Get(slot, head[fields[slot].Value]);
            if (headers.TryGetValue(name, out string[]? existing))
            {
                headers[name] = [existing[0] + (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ") + value];
                continue;
            }

            headers[name] = OneValue(slot, value);
        }
    }

    /// <summary>A one-value array: the previous request's at <paramref name="slot"/> when it still holds the same string.</summary>
    private string[] OneValue(int slot, string value)
    {
        if (slot >= _arrays.Length)
        {
            return [value];
        }

        string[]? kept = _arrays[slot];
        if (kept is { Length: 1 } && ReferenceEquals(kept[0], value))
        {
            return kept;
        }

        return _arrays[slot] = [value];
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
