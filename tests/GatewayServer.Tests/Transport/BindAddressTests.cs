using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class BindAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8000", "127.0.0.1", 8000)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("[::1]:9000", "::1", 9000)]
    [InlineData("localhost", "localhost", 8000)]
    [InlineData(":8080", "0.0.0.0", 8080)]
    public void Tcp_forms_parse_to_host_and_port(string text, string host, int port)
    {
        BindAddress address = BindAddress.Parse(text);

        address.Kind.Should().Be(BindKind.Tcp);
        address.Host.Should().Be(host);
        address.Port.Should().Be(port);
    }

    [Fact]
    public void Unix_and_descriptor_forms_parse()
    {
        BindAddress.Parse("unix:/run/app.sock").Should().Match<BindAddress>(a => a.Kind == BindKind.Unix && a.Path == "/run/app.sock");
        BindAddress.Parse("fd://3").Should().Match<BindAddress>(a => a.Kind == BindKind.Descriptor && a.Descriptor == 3);
    }

    [Theory]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:http")]
    [InlineData("::1:8000")]
    [InlineData("[::1:8000")]
    [InlineData("[127.0.0.1]:80")]
    [InlineData("unix:")]
    [InlineData("fd://x")]
    public void Malformed_addresses_are_refused_with_a_message(string text)
    {
        Action parse = () => BindAddress.Parse(text);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(text);
    }

    [Theory]
    [InlineData("127.0.0.1:8000")]
    [InlineData("[::1]:9000")]
    [InlineData("unix:/tmp/x.sock")]
    [InlineData("fd://4")]
    public void Formatting_reads_back_to_the_same_address(string text)
    {
        BindAddress.Parse(BindAddress.Parse(text).ToString()).Should().Be(BindAddress.Parse(text));
    }
}
