using System.Net;
using System.Text;
using GatewayServer.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Fuzz;

/// <summary>
/// The parsers of what a proxy says about the client: the PROXY protocol header and the
/// Forwarded/X-Forwarded-* headers. As in <see cref="FuzzTargets"/>, a target may only return;
/// an exception escaping (including a broken invariant's <see cref="InvalidOperationException"/>) is a crash.
/// </summary>
public static class ProxyFuzzTargets
{
    private static readonly AddressAllowList[] TrustedLists =
    [
        AddressAllowList.Loopback,
        AddressAllowList.Parse("10.0.0.0/8,fd00::/8"),
        AddressAllowList.Parse("*"),
        AddressAllowList.Parse(string.Empty),
    ];

    /// <summary>
    /// <see cref="ProxyHeaderParser.TryParse"/> over a growing window (the first byte picks the
    /// step), as the reader sees a header arrive: a verdict, once reached, must not change as
    /// more bytes come, and a complete header must lie within the bytes seen.
    /// </summary>
    public static void ProxyHeader(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        int step = (data[0] & 0x0F) + 1;
        ReadOnlySpan<byte> input = data[1..];
        ProxyHeaderStatus? verdict = null;
        int verdictLength = 0;
        IPEndPoint? verdictSource = null;
        for (int available = Math.Min(step, input.Length); ; available = Math.Min(input.Length, available + step))
        {
            ProxyHeaderStatus status = ProxyHeaderParser.TryParse(input[..available], out int length, out IPEndPoint? source);
            switch (status)
            {
                case ProxyHeaderStatus.Complete:
                    Require(length > 0 && length <= available, "a complete header outside the bytes seen");
                    Require(source is null || source.Port is >= 0 and <= 65535, "a port out of range");
                    break;
                case ProxyHeaderStatus.Incomplete:
                    Require(length == 0 || length > available, "incomplete, yet its whole length is in");
                    break;
            }

            if (verdict is { } earlier)
            {
                Require(status == earlier, "the verdict changed as more bytes came");
                Require(length == verdictLength && Equals(source, verdictSource), "a complete header changed as more bytes came");
            }
            else if (status != ProxyHeaderStatus.Incomplete)
            {
                (verdict, verdictLength, verdictSource) = (status, length, source);
            }

            if (available == input.Length)
            {
                return;
            }
        }
    }

    /// <summary>
    /// <see cref="ForwardedHeaderResolver.Resolve"/>: the first byte names the trusted headers, the
    /// second the trusted proxies, and the rest, split at LF, are the values of Forwarded,
    /// X-Forwarded-For, -Proto, -Host and -Prefix (missing ones absent). A header not trusted must
    /// change nothing, and every value must be one the environ may hold.
    /// </summary>
    public static void ForwardedHeaders(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return;
        }

        var headers = (Transport.ForwardedHeaders)(data[0] & 0x1F);
        AddressAllowList trusted = TrustedLists[data[1] % TrustedLists.Length];
        string[] values = Encoding.Latin1.GetString(data[2..]).Split('\n');
        string? Value(int index) => index < values.Length ? values[index] : null;
        string? Trusted(int index, Transport.ForwardedHeaders header) => (headers & header) != 0 ? Value(index) : null;

        ForwardedRequest request = ForwardedHeaderResolver.Resolve(headers, Value(0), Value(1), Value(2), Value(3), Value(4), trusted);
        ForwardedRequest onlyTrusted = ForwardedHeaderResolver.Resolve(
            headers,
            Trusted(0, Transport.ForwardedHeaders.Forwarded),
            Trusted(1, Transport.ForwardedHeaders.XForwardedFor),
            Trusted(2, Transport.ForwardedHeaders.XForwardedProto),
            Trusted(3, Transport.ForwardedHeaders.XForwardedHost),
            Trusted(4, Transport.ForwardedHeaders.XForwardedPrefix),
            trusted);

        Require(request == onlyTrusted, "a header that is not trusted changed the result");
        Require(request.Scheme is null or "http" or "https", "a scheme other than http or https");
        Require(request.ClientAddress is null || StrictIPAddress.TryParse(request.ClientAddress.AsSpan(), out _)
            || request.ClientAddress.Equals("unknown", StringComparison.OrdinalIgnoreCase) || request.ClientAddress.StartsWith('_'), "a client that is no address");
        Require(request.ClientPort is null || (request.ClientPort.Length is > 0 and <= 5 && !request.ClientPort.AsSpan().ContainsAnyExceptInRange('0', '9')), "a port that is not digits");
        Require(request.Prefix is null || IsCleanPrefix(request.Prefix), "a prefix that is not a clean absolute path");
        Require(request.Host is null || request.Host.AsSpan().IndexOfAny("/\\\r\n") < 0, "a host with a path or a line break");
    }

    /// <summary>The rule of <see cref="ForwardedPrefix"/>, written out again independently.</summary>
    private static bool IsCleanPrefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return true;
        }

        if (prefix[0] != '/' || prefix.EndsWith('/'))
        {
            return false;
        }

        foreach (string segment in prefix[1..].Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }

            foreach (char c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+;=:@".Contains(c)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
