using System.Text;
using GatewayServer.Http;

namespace GatewayServer.Tests.Http;

public sealed class PercentDecoderTests
{
    [Theory]
    [InlineData("/plain/path", "/plain/path")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/a%2Fb", "/a/b")]
    [InlineData("/100%", "/100%")]
    [InlineData("/bad%zz", "/bad%zz")]
    [InlineData("/end%4", "/end%4")]
    public void Paths_are_percent_decoded_as_utf8(string raw, string expected)
    {
        PercentDecoder.Decode(Encoding.ASCII.GetBytes(raw)).Should().Be(expected);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_fall_back_to_latin1_so_none_is_lost()
    {
        PercentDecoder.Decode("/caf%E9"u8).Should().Be("/caf\u00e9");
    }
}
