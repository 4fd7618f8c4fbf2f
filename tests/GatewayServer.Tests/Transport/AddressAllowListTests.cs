using System.Net;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class AddressAllowListTests
{
    [Theory]
    [InlineData("127.0.0.1,::1", "127.0.0.1", true)]
    [InlineData("127.0.0.1,::1", "::1", true)]
    [InlineData("127.0.0.1,::1", "127.0.0.2", false)]
    [InlineData("127.0.0.1,::1", "::2", false)]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.0", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("fd00::/8", "fd12:3456::1", true)]
    [InlineData("fd00::/8", "fe80::1", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("*", "203.0.113.7", true)]
    [InlineData("*", "2001:db8::1", true)]
    [InlineData("", "127.0.0.1", false)]
    public void A_peer_matches_when_an_address_or_range_covers_it(string list, string peer, bool allowed)
    {
        AddressAllowList.Parse(list).Allows(IPAddress.Parse(peer)).Should().Be(allowed);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::2", false)]
    [InlineData("10.0.0.1", false)]
    public void The_built_in_loopback_list_matches_the_parsed_one(string peer, bool allowed)
    {
        AddressAllowList.Loopback.Allows(IPAddress.Parse(peer)).Should().Be(allowed);
        AddressAllowList.Parse(AddressAllowList.Loopback.ToString()).Allows(IPAddress.Parse(peer)).Should().Be(allowed);
    }

    [Theory]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.1.1", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.1.1", false)]
    public void An_IPv4_peer_seen_through_a_dual_stack_socket_matches_the_IPv4_entries(string list, string peer, bool allowed)
    {
        AddressAllowList.Parse(list).Allows(IPAddress.Parse(peer)).Should().Be(allowed);
    }

    [Theory]
    [InlineData("localhost", "localhost is not an IP address or CIDR range")]
    [InlineData("10.0.0.0/33", "10.0.0.0/33 has a prefix length outside 0 to 32")]
    [InlineData("::/129", "::/129 has a prefix length outside 0 to 128")]
    [InlineData("10.0.0.0/x", "10.0.0.0/x has a prefix length outside 0 to 32")]
    [InlineData("10.0.0.0/-1", "10.0.0.0/-1 has a prefix length outside 0 to 32")]
    public void A_bad_entry_is_named_in_the_error(string list, string message)
    {
        Action parse = () => AddressAllowList.Parse(list);

        parse.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void The_text_form_reads_back_without_spaces_or_empty_entries()
    {
        AddressAllowList list = AddressAllowList.Parse(" 10.0.0.0/8 , ::1,,*");

        list.ToString().Should().Be("10.0.0.0/8,::1,*");
        list.AllowsAll.Should().BeTrue();
        AddressAllowList.Parse(list.ToString()).ToString().Should().Be(list.ToString());
    }
}
