using System.Buffers.Binary;
using System.Net;

namespace GatewayServer.Transport;

/// <summary>
/// Parses the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that a load
/// balancer sends before anything else on a connection, naming the client it accepted. Pure: it
/// reads a span and allocates only the client's <see cref="IPEndPoint"/>.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>A v1 header is at most 107 bytes, CRLF included (section 2.1).</summary>
    public const int MaxV1Length = 107;

    /// <summary>The fixed part of a v2 header: signature, version/command, family, length (section 2.2).</summary>
    public const int V2FixedLength = 16;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>
    /// Parses the header at the start of <paramref name="bytes"/>. When complete,
    /// <paramref name="length"/> is its length and <paramref name="source"/> the client it names, or
    /// null when it names none (v1 <c>UNKNOWN</c>, v2 <c>LOCAL</c>, unspecified or Unix addresses:
    /// the connection's own peer stands). When incomplete, <paramref name="length"/> is the whole
    /// header's length if already known (a v2 header), else 0.
    /// </summary>
    public static ProxyHeaderStatus TryParse(ReadOnlySpan<byte> bytes, out int length, out IPEndPoint? source)
    {
        length = 0;
        source = null;
        if (bytes.IsEmpty)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        if (bytes[0] == (byte)'P')
        {
            return ParseV1(bytes, out length, out source);
        }

        if (bytes[0] == V2Signature[0])
        {
            return ParseV2(bytes, out length, out source);
        }

        return ProxyHeaderStatus.Invalid;
    }

    private static ProxyHeaderStatus ParseV1(ReadOnlySpan<byte> bytes, out int length, out IPEndPoint? source)
    {
        length = 0;
        source = null;
        int prefix = Math.Min(bytes.Length, V1Prefix.Length);
        if (!bytes[..prefix].SequenceEqual(V1Prefix[..prefix]))
        {
            return ProxyHeaderStatus.Invalid;
        }

        ReadOnlySpan<byte> window = bytes[..Math.Min(bytes.Length, MaxV1Length)];
        int lf = window.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return bytes.Length >= MaxV1Length ? ProxyHeaderStatus.Invalid : ProxyHeaderStatus.Incomplete;
        }

        if (lf == 0 || window[lf - 1] != (byte)'\r')
        {
            return ProxyHeaderStatus.Invalid;
        }

        length = lf + 1;
        ReadOnlySpan<byte> line = window[V1Prefix.Length..(lf - 1)];

        // "PROXY UNKNOWN" may be followed by anything up to CRLF; the receiver ignores it.
        if (NextField(ref line, out ReadOnlySpan<byte> protocol) && protocol.SequenceEqual("UNKNOWN"u8))
        {
            return ProxyHeaderStatus.Complete;
        }

        bool v6 = protocol.SequenceEqual("TCP6"u8);
        if (!v6 && !protocol.SequenceEqual("TCP4"u8))
        {
            return ProxyHeaderStatus.Invalid;
        }

        if (!NextField(ref line, out ReadOnlySpan<byte> sourceText) || !NextField(ref line, out ReadOnlySpan<byte> destinationText)
            || !NextField(ref line, out ReadOnlySpan<byte> sourcePort) || !NextField(ref line, out ReadOnlySpan<byte> destinationPort)
            || !line.IsEmpty)
        {
            return ProxyHeaderStatus.Invalid;
        }

        if (!TryParseAddress(sourceText, v6, out IPAddress? address) || !TryParseAddress(destinationText, v6, out _)
            || !TryParsePort(sourcePort, out int port) || !TryParsePort(destinationPort, out _))
        {
            return ProxyHeaderStatus.Invalid;
        }

        source = new IPEndPoint(address, port);
        return ProxyHeaderStatus.Complete;
    }

    private static ProxyHeaderStatus ParseV2(ReadOnlySpan<byte> bytes, out int length, out IPEndPoint? source)
    {
        length = 0;
        source = null;
        int prefix = Math.Min(bytes.Length, V2Signature.Length);
        if (!bytes[..prefix].SequenceEqual(V2Signature[..prefix]))
        {
            return ProxyHeaderStatus.Invalid;
        }

        if (bytes.Length < V2FixedLength)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        byte versionCommand = bytes[12];
        byte family = bytes[13];
        length = V2FixedLength + BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]);
        if (versionCommand >> 4 != 2 || (versionCommand & 0xF) > 1)
        {
            return ProxyHeaderStatus.Invalid;
        }

        if (bytes.Length < length)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        // LOCAL: the proxy speaks for itself (a health check); the addresses are to be ignored.
        if ((versionCommand & 0xF) == 0)
        {
            return ProxyHeaderStatus.Complete;
        }

        ReadOnlySpan<byte> addresses = bytes[V2FixedLength..length];
        switch (family >> 4)
        {
            case 1: // AF_INET: 4 + 4 address bytes, 2 + 2 port bytes
                if (addresses.Length < 12)
                {
                    return ProxyHeaderStatus.Invalid;
                }

                source = new IPEndPoint(new IPAddress(addresses[..4]), BinaryPrimitives.ReadUInt16BigEndian(addresses[8..]));
                return ProxyHeaderStatus.Complete;
            case 2: // AF_INET6: 16 + 16 address bytes, 2 + 2 port bytes
                if (addresses.Length < 36)
                {
                    return ProxyHeaderStatus.Invalid;
                }

                source = new IPEndPoint(new IPAddress(addresses[..16]), BinaryPrimitives.ReadUInt16BigEndian(addresses[32..]));
                return ProxyHeaderStatus.Complete;
            case 0 or 3: // AF_UNSPEC, AF_UNIX: no IP to report; the socket's peer stands.
                return ProxyHeaderStatus.Complete;
            default:
                return ProxyHeaderStatus.Invalid;
        }
    }

    /// <summary>Takes the text up to the next single space (v1 fields are separated by exactly one).</summary>
    private static bool NextField(ref ReadOnlySpan<byte> line, out ReadOnlySpan<byte> field)
    {
        int space = line.IndexOf((byte)' ');
        field = space < 0 ? line : line[..space];
        line = space < 0 ? [] : line[(space + 1)..];
        return !field.IsEmpty;
    }

    /// <summary>
    /// An address in the family the protocol field named, in the only form section 2.1 allows
    /// (<see cref="StrictIPAddress"/>): <c>0x7f.0.0.1</c> or <c>010.0.0.1</c> is no address, not
    /// 127.0.0.1 or 8.0.0.1.
    /// </summary>
    private static bool TryParseAddress(ReadOnlySpan<byte> text, bool v6, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address) =>
        StrictIPAddress.TryParse(text, out address)
        && address.AddressFamily == (v6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork);

    private static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > 5)
        {
            return false;
        }

        foreach (byte b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            port = (port * 10) + (b - '0');
        }

        return port <= 65535;
    }
}
