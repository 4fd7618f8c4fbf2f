using System.Net;
using System.Text;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

/// <summary>The examples and limits of HAProxy's proxy-protocol.txt, versions 1 and 2.</summary>
public sealed class ProxyHeaderParserTests
{
    [Theory]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\n", "192.0.2.10", 56324)]
    [InlineData("PROXY TCP6 2001:db8::1 2001:db8::2 4711 80\r\n", "2001:db8::1", 4711)]
    [InlineData("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", "255.255.255.255", 65535)]
    [InlineData("PROXY TCP4 0.0.0.0 10.0.0.1 0 443\r\n", "0.0.0.0", 0)]
    [InlineData("PROXY TCP6 2001:DB8:0:0:0:0:0:1 ::1 4711 80\r\n", "2001:db8::1", 4711)]
    [InlineData("PROXY TCP6 ::ffff:192.0.2.10 ::1 4711 80\r\n", "::ffff:192.0.2.10", 4711)]
    public void A_v1_header_names_the_client(string header, string address, int port)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(header + "GET / HTTP/1.1\r\n");

        ProxyHeaderParser.TryParse(bytes, out int length, out IPEndPoint? source).Should().Be(ProxyHeaderStatus.Complete);

        length.Should().Be(header.Length);
        source.Should().Be(new IPEndPoint(IPAddress.Parse(address), port));
    }

    [Fact]
    public void A_v1_UNKNOWN_header_leaves_the_peer_as_it_is()
    {
        byte[] bytes = "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"u8.ToArray();

        ProxyHeaderParser.TryParse(bytes, out int length, out IPEndPoint? source).Should().Be(ProxyHeaderStatus.Complete);

        length.Should().Be(bytes.Length);
        source.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("PRO")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r")]
    public void A_v1_header_without_its_CRLF_yet_is_incomplete(string header)
    {
        ProxyHeaderParser.TryParse(Encoding.ASCII.GetBytes(header), out _, out _).Should().Be(ProxyHeaderStatus.Incomplete);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 56324\r\n")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443 extra\r\n")]
    [InlineData("PROXY TCP4  192.0.2.10 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 2001:db8::1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP6 192.0.2.10 2001:db8::2 56324 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 65536 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 -1 443\r\n")]
    [InlineData("PROXY UDP4 192.0.2.10 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\n")]
    [InlineData("proxy TCP4 192.0.2.10 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 0x7f.0.0.1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 010.0.0.1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 127.0.0.01 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 0177.0.0.1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 127.0.1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 127.0.0.1.5 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 256.0.0.1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 +1.0.0.1 198.51.100.1 56324 443\r\n")]
    [InlineData("PROXY TCP4 192.0.2.10 0x7f.0.0.1 56324 443\r\n")]
    [InlineData("PROXY TCP6 fe80::1%eth0 2001:db8::2 4711 80\r\n")]
    [InlineData("PROXY TCP6 [2001:db8::1] 2001:db8::2 4711 80\r\n")]
    [InlineData("PROXY TCP6 ::ffff:0x7f.0.0.1 2001:db8::2 4711 80\r\n")]
    [InlineData("PROXY TCP6 2001:db8::1::2 2001:db8::2 4711 80\r\n")]
    [InlineData("PROXY TCP6 2001:db8:00001::1 2001:db8::2 4711 80\r\n")]
    public void A_malformed_v1_header_is_invalid(string header)
    {
        ProxyHeaderParser.TryParse(Encoding.ASCII.GetBytes(header), out _, out _).Should().Be(ProxyHeaderStatus.Invalid);
    }

    [Fact]
    public void A_v1_line_longer_than_107_bytes_is_invalid()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('x', 100) + "\r\n");

        ProxyHeaderParser.TryParse(bytes, out _, out _).Should().Be(ProxyHeaderStatus.Invalid);
    }

    [Fact]
    public void A_v2_IPv4_header_names_the_client_and_its_TLVs_are_skipped()
    {
        byte[] tlv = [0x04, 0x00, 0x03, 0xAA, 0xBB, 0xCC]; // PP2_TYPE_NOOP with three bytes
        byte[] header = V2(0x21, 0x11, [192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0x01, 0xBB, .. tlv]);

        ProxyHeaderParser.TryParse([.. header, .. "GET"u8], out int length, out IPEndPoint? source).Should().Be(ProxyHeaderStatus.Complete);

        length.Should().Be(header.Length);
        source.Should().Be(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 56324));
    }

    [Fact]
    public void A_v2_IPv6_header_names_the_client()
    {
        byte[] addresses = [.. IPAddress.Parse("2001:db8::1").GetAddressBytes(), .. IPAddress.Parse("2001:db8::2").GetAddressBytes(), 0x12, 0x67, 0x00, 0x50];

        ProxyHeaderParser.TryParse(V2(0x21, 0x21, addresses), out int length, out IPEndPoint? source).Should().Be(ProxyHeaderStatus.Complete);

        length.Should().Be(16 + 36);
        source.Should().Be(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4711));
    }

    [Theory]
    [InlineData(0x20, 0x11)] // LOCAL: a health check from the proxy itself
    [InlineData(0x21, 0x00)] // AF_UNSPEC
    public void A_v2_header_without_a_client_leaves_the_peer_as_it_is(byte command, byte family)
    {
        byte[] header = V2(command, family, [192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0x01, 0xBB]);

        ProxyHeaderParser.TryParse(header, out int length, out IPEndPoint? source).Should().Be(ProxyHeaderStatus.Complete);

        length.Should().Be(header.Length);
        source.Should().BeNull();
    }

    [Fact]
    public void A_v2_header_tells_its_length_as_soon_as_the_fixed_part_is_in()
    {
        byte[] header = V2(0x21, 0x11, new byte[300]);

        ProxyHeaderParser.TryParse(header.AsSpan(0, 20), out int length, out _).Should().Be(ProxyHeaderStatus.Incomplete);

        length.Should().Be(316);
        ProxyHeaderParser.TryParse(header.AsSpan(0, 10), out _, out _).Should().Be(ProxyHeaderStatus.Incomplete);
    }

    [Theory]
    [InlineData(0x11, 0x11, 12)] // version 1 in the binary form
    [InlineData(0x22, 0x11, 12)] // an unknown command
    [InlineData(0x21, 0x11, 8)]  // AF_INET with too short an address block
    [InlineData(0x21, 0x21, 12)] // AF_INET6 with too short an address block
    [InlineData(0x21, 0x41, 12)] // an unknown family
    public void A_malformed_v2_header_is_invalid(byte command, byte family, int addressLength)
    {
        ProxyHeaderParser.TryParse(V2(command, family, new byte[addressLength]), out _, out _).Should().Be(ProxyHeaderStatus.Invalid);
    }

    [Fact]
    public void A_wrong_v2_signature_is_invalid()
    {
        byte[] header = V2(0x21, 0x11, new byte[12]);
        header[6] = 0x00;

        ProxyHeaderParser.TryParse(header, out _, out _).Should().Be(ProxyHeaderStatus.Invalid);
    }

    private static byte[] V2(byte command, byte family, byte[] rest) =>
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, command, family, (byte)(rest.Length >> 8), (byte)rest.Length, .. rest];
}
