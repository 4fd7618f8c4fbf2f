using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class ForwardedHeaderListTests
{
    [Theory]
    [InlineData("x-forwarded-for", ForwardedHeaders.XForwardedFor)]
    [InlineData("X-Forwarded-For, X-Forwarded-Proto ,x-forwarded-host", ForwardedHeaders.Default)]
    [InlineData("forwarded,x-forwarded-prefix", ForwardedHeaders.Forwarded | ForwardedHeaders.XForwardedPrefix)]
    [InlineData("none", ForwardedHeaders.None)]
    [InlineData("", ForwardedHeaders.None)]
    public void Header_names_separated_by_commas_are_read_in_any_case(string text, ForwardedHeaders expected)
    {
        ForwardedHeaderList.Parse(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("x-real-ip")]
    [InlineData("x-forwarded-for;x-forwarded-proto")]
    [InlineData("x-forwarded-for,")]
    [InlineData("none,forwarded")]
    [InlineData("*")]
    public void Anything_else_is_refused(string text)
    {
        Action parse = () => ForwardedHeaderList.Parse(text);

        parse.Should().Throw<FormatException>();
    }

    [Theory]
    [InlineData(ForwardedHeaders.Default, "x-forwarded-for,x-forwarded-proto,x-forwarded-host")]
    [InlineData(ForwardedHeaders.None, "none")]
    [InlineData(ForwardedHeaders.Forwarded | ForwardedHeaders.XForwardedPrefix, "x-forwarded-prefix,forwarded")]
    public void The_text_form_reads_back(ForwardedHeaders headers, string text)
    {
        ForwardedHeaderList.Format(headers).Should().Be(text);
        ForwardedHeaderList.Parse(text).Should().Be(headers);
    }
}
