using System.Buffers;
using System.Net;
using System.Text;
using GatewayServer.Http;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// Reads the proxy headers of a request from a trusted peer: RFC 7239 <c>Forwarded</c>, else the
/// de-facto <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c>; <c>X-Forwarded-Prefix</c> either way.
/// Only the headers the operator named (<c>--forwarded-headers</c>) are read at all: a proxy
/// overwrites those, and passes the others through from its clients. Only called when the
/// application reads its environ and the peer is trusted.
/// <para>
/// The client is found as uvicorn's ProxyHeadersMiddleware finds it: each proxy appends the
/// address it received the request from, so the list is walked from the right, skipping the
/// addresses of trusted proxies; the first untrusted one is the client (anything further left was
/// written by the client itself and proves nothing). When every address is trusted, or the trusted
/// list is <c>*</c>, the leftmost is the client. Unlike Werkzeug's ProxyFix, no hop count has to be
/// configured: the trusted list is the configuration.
/// </para>
/// </summary>
internal static class ForwardedHeaderResolver
{
    /// <summary>What may follow the <c>_</c> of an obfuscated node (RFC 7239 section 6.3).</summary>
    private static readonly SearchValues<char> ObfuscatedChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <param name="headers">The headers the operator's proxy sets; the values of the others are ignored.</param>
    /// <param name="forwarded">The <c>Forwarded</c> header, or null.</param>
    /// <param name="forwardedFor">The <c>X-Forwarded-For</c> header, or null.</param>
    /// <param name="forwardedProto">The <c>X-Forwarded-Proto</c> header, or null.</param>
    /// <param name="forwardedHost">The <c>X-Forwarded-Host</c> header, or null.</param>
    /// <param name="forwardedPrefix">The <c>X-Forwarded-Prefix</c> header, or null.</param>
    /// <param name="trusted">The trusted proxies (<c>--forwarded-allow-ips</c>), skipped in the walk for the client.</param>
    public static ForwardedRequest Resolve(
        ForwardedHeaders headers, string? forwarded, string? forwardedFor, string? forwardedProto, string? forwardedHost, string? forwardedPrefix, AddressAllowList trusted)
    {
        forwarded = Trusted(headers, ForwardedHeaders.Forwarded, forwarded);
        forwardedFor = Trusted(headers, ForwardedHeaders.XForwardedFor, forwardedFor);
        forwardedProto = Trusted(headers, ForwardedHeaders.XForwardedProto, forwardedProto);
        forwardedHost = Trusted(headers, ForwardedHeaders.XForwardedHost, forwardedHost);
        forwardedPrefix = Trusted(headers, ForwardedHeaders.XForwardedPrefix, forwardedPrefix);
        if (forwarded is null && forwardedFor is null && forwardedProto is null && forwardedHost is null && forwardedPrefix is null)
        {
            return default;
        }

        string? prefix = Prefix(forwardedPrefix);
        if (forwarded is not null && TryParseForwarded(forwarded, out List<ForwardedElement>? elements) && elements.Count > 0)
        {
            // RFC 7239 wins over the X-Forwarded-* headers when both came: mixing hops from two
            // sources is how a forged value slips in. The element that names the client also
            // says how the client reached that proxy (proto=, host=).
            var nodes = new string?[elements.Count];
            for (int i = 0; i < nodes.Length; i++)
            {
                nodes[i] = elements[i].For;
            }

            int index = ClientIndex(nodes, trusted);
            ForwardedElement chosen = elements[index];
            (string? address, string? port) = chosen.For is null ? (null, null) : SplitNode(chosen.For);
            return new ForwardedRequest(address, address is null ? null : port, Scheme(chosen.Proto), Host(chosen.Host), prefix);
        }

        string? clientAddress = null;
        string? clientPort = null;
        if (forwardedFor is not null)
        {
            string[] hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (hops.Length > 0)
            {
                (clientAddress, clientPort) = SplitNode(hops[ClientIndex(hops, trusted)]);
            }
        }

        return new ForwardedRequest(clientAddress, clientPort, Scheme(Rightmost(forwardedProto)), Host(Rightmost(forwardedHost)), prefix);
    }

    private static string? Trusted(ForwardedHeaders headers, ForwardedHeaders header, string? value) => (headers & header) != 0 ? value : null;

    /// <summary>The index of the client among the hops: the rightmost address that is not a trusted proxy.</summary>
    private static int ClientIndex(string?[] nodes, AddressAllowList trusted)
    {
        if (trusted.AllowsAll)
        {
            return 0;
        }

        for (int i = nodes.Length - 1; i > 0; i--)
        {
            string? text = nodes[i];
            if (text is null || SplitNode(text).Address is not { } address || !StrictIPAddress.TryParse(address, out IPAddress? ip) || !trusted.Allows(ip))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>
    /// Splits a node (RFC 7239 section 6: <c>192.0.2.43</c>, <c>"[2001:db8::17]:4711"</c>, <c>unknown</c>,
    /// <c>_hidden</c>; X-Forwarded-For also carries bare IPv6 and <c>ip:port</c>) into address and port.
    /// </summary>
    private static (string? Address, string? Port) SplitNode(string node)
    {
        ReadOnlySpan<char> text = node.AsSpan().Trim();
        ReadOnlySpan<char> address = text;
        ReadOnlySpan<char> port = default;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                return (null, null);
            }

            address = text[1..close];
            if (text.Length > close + 1 && text[close + 1] == ':')
            {
                port = text[(close + 2)..];
            }
        }
        else if (text.Count(':') == 1)
        {
            int colon = text.IndexOf(':');
            address = text[..colon];
            port = text[(colon + 1)..];
        }

        if (address.IsEmpty)
        {
            return (null, null);
        }

        // Anything but an address in its standard form, "unknown" or an obfuscated "_name" is no
        // node at all (and so no client): a hop must not smuggle markup or another address
        // spelling into REMOTE_ADDR.
        string addressText;
        if (StrictIPAddress.TryParse(address, out IPAddress? ip))
        {
            addressText = ip.ToString();
        }
        else if (address.Equals("unknown", StringComparison.OrdinalIgnoreCase) || (address.Length > 1 && address[0] == '_' && !address[1..].ContainsAnyExcept(ObfuscatedChars)))
        {
            addressText = address.ToString();
        }
        else
        {
            return (null, null);
        }

        string? portText = !port.IsEmpty && port.Length <= 5 && !port.ContainsAnyExceptInRange('0', '9') ? port.ToString() : null;
        return (addressText, portText);
    }

    private static string? Rightmost(string? list)
    {
        if (list is null)
        {
            return null;
        }

        int comma = list.LastIndexOf(',');
        string value = (comma < 0 ? list : list[(comma + 1)..]).Trim();
        return value.Length == 0 ? null : value;
    }

    private static string? Scheme(string? value) =>
        string.Equals(value, "https", StringComparison.OrdinalIgnoreCase) ? "https"
        : string.Equals(value, "http", StringComparison.OrdinalIgnoreCase) ? "http"
        : null;

    /// <summary>A host with an optional port, as RFC 9110 section 7.2 allows in Host; anything else is ignored.</summary>
    private static string? Host(string? value) =>
        value is { Length: > 0 } && AuthoritySyntax.IsValid(Encoding.Latin1.GetBytes(value), allowEmpty: false, requirePort: false) ? value : null;

    /// <summary>The nearest proxy's prefix, when it is a clean absolute path (<see cref="ForwardedPrefix"/>).</summary>
    private static string? Prefix(string? value)
    {
        if (value is null)
        {
            return null;
        }

        int comma = value.LastIndexOf(',');
        return ForwardedPrefix.Clean(value.AsSpan(comma + 1).Trim());
    }

    /// <summary>
    /// Parses <c>Forwarded</c> (RFC 7239 section 4): comma-separated elements of semicolon-separated
    /// <c>token=value</c> pairs, values being tokens or quoted strings (which may hold commas). A
    /// malformed header is ignored whole.
    /// </summary>
    private static bool TryParseForwarded(string header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<ForwardedElement>? elements)
    {
        elements = new List<ForwardedElement>();
        var current = default(ForwardedElement);
        int i = 0;
        while (true)
        {
            while (i < header.Length && header[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < header.Length && header[i] is not (',' or ';'))
            {
                int nameStart = i;
                while (i < header.Length && header[i] != '=' && IsTokenChar(header[i]))
                {
                    i++;
                }

                if (i == nameStart || i >= header.Length || header[i] != '=')
                {
                    return false;
                }

                string name = header[nameStart..i];
                i++;
                string value;
                if (i < header.Length && header[i] == '"')
                {
                    var quoted = new StringBuilder();
                    i++;
                    while (i < header.Length && header[i] != '"')
                    {
                        if (header[i] == '\\' && i + 1 < header.Length)
                        {
                            i++;
                        }

                        quoted.Append(header[i++]);
                    }

                    if (i >= header.Length)
                    {
                        return false;
                    }

                    i++;
                    value = quoted.ToString();
                }
                else
                {
                    int valueStart = i;
                    while (i < header.Length && IsTokenChar(header[i]))
                    {
                        i++;
                    }

                    value = header[valueStart..i];
                }

                current = current.With(name, value);
                while (i < header.Length && header[i] is ' ' or '\t')
                {
                    i++;
                }
            }

            if (i >= header.Length || header[i] == ',')
            {
                if (!current.IsEmpty)
                {
                    elements.Add(current);
                }

                current = default;
                if (i >= header.Length)
                {
                    return true;
                }
            }
            else if (header[i] != ';')
            {
                return false;
            }

            i++;
        }
    }

    private static bool IsTokenChar(char c) => c < 128 && HttpSyntax.TokenChars.Contains((byte)c);

    private readonly record struct ForwardedElement(string? For, string? Proto, string? Host, bool Present)
    {
        public bool IsEmpty => !Present;

        public ForwardedElement With(string name, string value) =>
            name.Equals("for", StringComparison.OrdinalIgnoreCase) ? this with { For = value, Present = true }
            : name.Equals("proto", StringComparison.OrdinalIgnoreCase) ? this with { Proto = value, Present = true }
            : name.Equals("host", StringComparison.OrdinalIgnoreCase) ? this with { Host = value, Present = true }
            : this with { Present = true };
    }
}
