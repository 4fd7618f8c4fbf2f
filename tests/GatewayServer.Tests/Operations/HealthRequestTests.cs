using System.Text;
using GatewayServer.Operations;

namespace GatewayServer.Tests.Operations;

public sealed class HealthRequestTests
{
    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", false, "/metrics")]
    [InlineData("HEAD /readyz HTTP/1.0\r\n\r\n", true, "/readyz")]
    [InlineData("GET /livez?verbose=1 HTTP/1.1\r\n\r\n", false, "/livez")]
    [InlineData("POST /metrics HTTP/1.1\r\n\r\n", false, "")]
    public void The_request_line_gives_the_method_and_the_path_without_its_query(string head, bool isHead, string path) =>
        HealthRequest.Parse(Encoding.ASCII.GetBytes(head)).Should().Be(new HealthRequest(isHead, path));

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET metrics HTTP/1.1\r\n\r\n")]
    [InlineData("GET http://x/metrics HTTP/1.1\r\n\r\n")]
    [InlineData("GET /metrics HTTP/2\r\n\r\n")]
    [InlineData("GET /met\u00e9rics HTTP/1.1\r\n\r\n")]
    [InlineData("")]
    public void Anything_but_an_origin_form_HTTP_1_request_line_is_not_a_request(string head) =>
        HealthRequest.Parse(Encoding.Latin1.GetBytes(head)).Should().BeNull();
}
