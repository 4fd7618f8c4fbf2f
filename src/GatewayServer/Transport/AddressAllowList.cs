using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace GatewayServer.Transport;

/// <summary>
/// The peers a setting trusts (<c>--forwarded-allow-ips</c>, <c>--proxy-allow-ips</c>): addresses,
/// CIDR ranges and <c>*</c>, parsed once into network/mask pairs so that a check is a few integer
/// comparisons. IPv4-mapped IPv6 peers (<c>::ffff:10.0.0.1</c>, what a dual-stack listener reports)
/// match the IPv4 entries.
/// </summary>
public sealed class AddressAllowList
{
    private readonly uint[] _v4Networks;
    private readonly uint[] _v4Masks;
    private readonly UInt128[] _v6Networks;
    private readonly UInt128[] _v6Masks;
    private readonly string _text;

    private AddressAllowList(bool allowsAll, IReadOnlyList<(uint Network, uint Mask)> v4, IReadOnlyList<(UInt128 Network, UInt128 Mask)> v6, string text)
    {
        AllowsAll = allowsAll;
        _v4Networks = new uint[v4.Count];
        _v4Masks = new uint[v4.Count];
        for (int i = 0; i < v4.Count; i++)
        {
            (_v4Networks[i], _v4Masks[i]) = v4[i];
        }

        _v6Networks = new UInt128[v6.Count];
        _v6Masks = new UInt128[v6.Count];
        for (int i = 0; i < v6.Count; i++)
        {
            (_v6Networks[i], _v6Masks[i]) = v6[i];
        }

        _text = text;
    }

    /// <summary>
    /// <c>127.0.0.1,::1</c>, the default of both settings, built without parsing: the settings
    /// table is initialised by every process at start-up, where address parsing is all first-call cost.
    /// </summary>
    public static AddressAllowList Loopback { get; } = new(
        allowsAll: false, [(0x7F000001u, uint.MaxValue)], [(UInt128.One, UInt128.MaxValue)], "127.0.0.1,::1");

    /// <summary>Whether the list is <c>*</c>: every peer is trusted.</summary>
    public bool AllowsAll { get; }

    /// <summary>
    /// Parses entries separated by commas: <c>10.0.0.1</c>, <c>10.0.0.0/8</c>, <c>::1</c>,
    /// <c>fd00::/8</c> or <c>*</c>. An empty text trusts no one.
    /// </summary>
    /// <exception cref="FormatException">An entry is none of those.</exception>
    public static AddressAllowList Parse(string text)
    {
        var v4 = new List<(uint, uint)>();
        var v6 = new List<(UInt128, UInt128)>();
        var entries = new List<string>();
        bool all = false;
        Span<byte> bytes = stackalloc byte[16];
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            entries.Add(raw);
            if (raw == "*")
            {
                all = true;
                continue;
            }

            int slash = raw.IndexOf('/', StringComparison.Ordinal);
            string addressText = slash < 0 ? raw : raw[..slash];
            if (!IPAddress.TryParse(addressText, out IPAddress? address) || (slash >= 0 && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0))
            {
                throw new FormatException($"{raw} is not an IP address or CIDR range");
            }

            address.TryWriteBytes(bytes, out int length);
            int maxPrefix = length * 8;
            int prefix = maxPrefix;
            if (slash >= 0 && (!int.TryParse(raw.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
            {
                throw new FormatException($"{raw} has a prefix length outside 0 to {maxPrefix}");
            }

            if (length == 4)
            {
                uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
                v4.Add((BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask));
            }
            else
            {
                UInt128 mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
                v6.Add((BinaryPrimitives.ReadUInt128BigEndian(bytes) & mask, mask));
            }
        }

        return new AddressAllowList(all, v4, v6, string.Join(',', entries));
    }

    public bool Allows(IPAddress address)
    {
        if (AllowsAll)
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int length))
        {
            return false;
        }

        if (length == 4)
        {
            return AllowsV4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        // ::ffff:a.b.c.d is an IPv4 peer seen through an IPv6 socket (RFC 4291 section 2.5.5.2).
        if (bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xff && bytes[11] == 0xff)
        {
            return AllowsV4(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        UInt128 value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        for (int i = 0; i < _v6Networks.Length; i++)
        {
            if ((value & _v6Masks[i]) == _v6Networks[i])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entries as given, without spaces; <see cref="Parse"/> reads it back.</summary>
    public override string ToString() => _text;

    private bool AllowsV4(uint value)
    {
        for (int i = 0; i < _v4Networks.Length; i++)
        {
            if ((value & _v4Masks[i]) == _v4Networks[i])
            {
                return true;
            }
        }

        return false;
    }
}
