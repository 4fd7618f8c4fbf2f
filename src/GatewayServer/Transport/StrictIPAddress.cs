using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>
/// IP addresses in their standard text forms only. <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>
/// follows <c>inet_aton</c> and takes <c>0x7f.0.0.1</c> as 127.0.0.1, <c>010.0.0.1</c> as 8.0.0.1
/// (octal) and <c>1</c> as 0.0.0.1: one peer may then read an address differently from another, and
/// a client-chosen spelling of a trusted address passes an allow list. The PROXY protocol
/// (proxy-protocol.txt section 2.1) and RFC 7239 section 6 want dotted decimal with no leading
/// zeros, and RFC 4291 section 2.2 text for IPv6; nothing else is an address here.
/// </summary>
public static class StrictIPAddress
{
    private static readonly System.Buffers.SearchValues<char> HexAndColon = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:");

    /// <summary>Parses four decimal parts 0-255 without leading zeros, or an IPv6 address (hex, colons, an optional dotted-decimal tail; no zone).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':'))
        {
            // IPAddress's IPv6 parser is RFC 4291's, but also takes a zone (%eth0), brackets and a
            // port; only hex digits, colons and an embedded IPv4 address are let through to it.
            int lastColon = text.LastIndexOf(':');
            ReadOnlySpan<char> tail = text[(lastColon + 1)..];
            if (text.Length > 45 || text[..lastColon].ContainsAnyExcept(HexAndColon)
                || (tail.Contains('.') ? !IsDottedDecimal(tail) : tail.ContainsAnyExcept(HexAndColon)))
            {
                return false;
            }

            return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (!IsDottedDecimal(text))
        {
            return false;
        }

        address = IPAddress.Parse(text);
        return true;
    }

    /// <summary>The UTF-8/ASCII form of <see cref="TryParse(ReadOnlySpan{char}, out IPAddress?)"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length > 45)
        {
            return false;
        }

        Span<char> chars = stackalloc char[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            chars[i] = (char)text[i];
        }

        return TryParse(chars, out address);
    }

    /// <summary>Exactly four parts of 1-3 decimal digits, each 0-255, none with a leading zero.</summary>
    private static bool IsDottedDecimal(ReadOnlySpan<char> text)
    {
        for (int part = 0; part < 4; part++)
        {
            int digits = 0;
            int value = 0;
            while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            {
                value = (value * 10) + (text[digits] - '0');
                digits++;
                if (digits > 3)
                {
                    return false;
                }
            }

            if (digits == 0 || value > 255 || (digits > 1 && text[0] == '0'))
            {
                return false;
            }

            text = text[digits..];
            if (part < 3)
            {
                if (text.IsEmpty || text[0] != '.')
                {
                    return false;
                }

                text = text[1..];
            }
        }

        return text.IsEmpty;
    }
}
