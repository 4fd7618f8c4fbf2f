using System.Net;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class StrictIPAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("10.20.30.40")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("2001:db8::17")]
    [InlineData("2001:DB8:0:0:0:0:0:17")]
    [InlineData("::ffff:192.0.2.1")]
    public void An_address_in_its_standard_form_is_read_as_IPAddress_reads_it(string text)
    {
        StrictIPAddress.TryParse(text.AsSpan(), out IPAddress? address).Should().BeTrue();

        address.Should().Be(IPAddress.Parse(text));
    }

    [Theory]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("0177.0.0.1")]
    [InlineData("127.0.0.01")]
    [InlineData("127.1")]
    [InlineData("127.0.1")]
    [InlineData("2130706433")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.")]
    [InlineData(".1.2.3.4")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.-4")]
    [InlineData("1000.2.3.4")]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("::ffff:0x7f.0.0.1")]
    [InlineData("::ffff:127.1")]
    [InlineData("2001:db8::1::2")]
    [InlineData("12345::1")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData(":::")]
    public void Any_other_spelling_is_no_address(string text)
    {
        StrictIPAddress.TryParse(text.AsSpan(), out _).Should().BeFalse();
        StrictIPAddress.TryParse(System.Text.Encoding.ASCII.GetBytes(text).AsSpan(), out _).Should().BeFalse();
    }

    [Fact]
    public void The_forms_the_issue_found_are_ones_IPAddress_itself_accepts()
    {
        // Why this type exists: .NET reads these as inet_aton does.
        IPAddress.Parse("0x7f.0.0.1").Should().Be(IPAddress.Loopback);
        IPAddress.Parse("010.0.0.1").Should().Be(IPAddress.Parse("8.0.0.1"));
    }
}
