using System.Text;
using GatewayServer.Owin;

namespace GatewayServer.Tests.Owin;

public sealed class OwinResponseHeadersTests
{
    [Fact]
    public void Every_value_is_a_line_and_the_servers_own_headers_are_left_out()
    {
        var headers = new OwinResponseHeaders();
        headers.Use(new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Set-Cookie"] = ["a=1", "b=2"],
            ["Connection"] = ["keep-alive"],
            ["Transfer-Encoding"] = ["chunked"],
            ["Date"] = ["yesterday"],
            ["Content-Length"] = ["5"],
        });

        int size = headers.Measure(out long declared);
        byte[] buffer = new byte[size];
        int written = headers.Write(buffer);

        declared.Should().Be(5);
        Encoding.ASCII.GetString(buffer, 0, written).Should().Be("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n");
    }

    [Theory]
    [InlineData("X-Bad", "a\r\nInjected: yes")]
    [InlineData("Bad Name", "v")]
    [InlineData("Upgrade", "websocket")]
    [InlineData("Content-Length", "-1")]
    public void A_header_that_could_inject_or_belongs_to_the_server_is_the_apps_error(string name, string value)
    {
        var headers = new OwinResponseHeaders();
        headers.Use(new Dictionary<string, string[]> { [name] = [value] });

        Action measure = () => headers.Measure(out _);

        measure.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Connection_close_from_the_app_asks_the_server_to_close()
    {
        var headers = new OwinResponseHeaders();
        headers.Use(new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["connection"] = ["Close"] });

        headers.AsksToClose().Should().BeTrue();
    }
}
