using System.Text;
using GatewayServer.Http;

namespace GatewayServer.Tests.Http;

public sealed class AuthoritySyntaxTests
{
    [Theory]
    [InlineData("example.com", true)]
    [InlineData("example.com:8080", true)]
    [InlineData("example.com:", true)]
    [InlineData("127.0.0.1:80", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::1]:443", true)]
    [InlineData("[v1.fe80::a+en1]", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("ex%41mple", true)]
    [InlineData("", true)]
    [InlineData("user@example.com", false)]
    [InlineData("example.com/path", false)]
    [InlineData("example.com?q", false)]
    [InlineData("example.com:80:80", false)]
    [InlineData("example.com:8o", false)]
    [InlineData("example.com:123456", false)]
    [InlineData("[::1", false)]
    [InlineData("[]", false)]
    [InlineData("[::1]x", false)]
    [InlineData("::1", false)]
    [InlineData(":80", false)]
    [InlineData("ex%4", false)]
    [InlineData("ex%zz", false)]
    [InlineData("exa mple", false)]
    [InlineData("caf\u00e9", false)]
    public void Host_value_is_a_host_and_an_optional_port(string host, bool valid)
    {
        AuthoritySyntax.IsValid(Encoding.Latin1.GetBytes(host), allowEmpty: true, requirePort: false).Should().Be(valid);
    }

    [Theory]
    [InlineData("example.com:443", true)]
    [InlineData("[::1]:443", true)]
    [InlineData("example.com", false)]
    [InlineData("example.com:", false)]
    [InlineData("", false)]
    public void Connect_target_needs_a_port(string authority, bool valid)
    {
        AuthoritySyntax.IsValid(Encoding.Latin1.GetBytes(authority), allowEmpty: false, requirePort: true).Should().Be(valid);
    }
}
