using GatewayServer.Http.Response;

namespace GatewayServer.Tests.Http.Response;

public sealed class ResponseHeaderValidatorTests
{
    [Theory]
    [InlineData("200 OK")]
    [InlineData("404 Not Found")]
    [InlineData("599 ")]
    public void Well_formed_statuses_are_accepted(string status) =>
        ResponseHeaderValidator.CheckStatus(status).Should().BeNull();

    [Theory]
    [InlineData("200")]
    [InlineData("20 OK")]
    [InlineData("OK 200")]
    [InlineData("099 Low")]
    [InlineData("200 OK\r\nX-Injected: 1")]
    public void Malformed_statuses_are_refused(string status) =>
        ResponseHeaderValidator.CheckStatus(status).Should().NotBeNull();

    [Theory]
    [InlineData("100 Continue")]
    [InlineData("101 Switching Protocols")]
    [InlineData("103 Early Hints")]
    [InlineData("600 Beyond")]
    [InlineData("999 Beyond")]
    public void Statuses_that_are_not_final_are_refused_as_the_applications_error(string status) =>
        ResponseHeaderValidator.CheckStatus(status).Should().Contain("not a final status");

    [Fact]
    public void A_101_is_accepted_only_for_a_request_that_may_upgrade()
    {
        ResponseHeaderValidator.CheckStatus("101 Switching Protocols", allowSwitchingProtocols: true).Should().BeNull();
        ResponseHeaderValidator.CheckStatus("100 Continue", allowSwitchingProtocols: true).Should().Contain("not a final status");
        ResponseHeaderValidator.CheckStatus("101 Switching Protocols").Should().Contain("not a final status");
    }

    [Theory]
    [InlineData("X-Ok", "value with spaces and\ttab")]
    [InlineData("Set-Cookie", "a=b; Path=/")]
    [InlineData("X-Latin1", "caf\u00e9")]
    public void Ordinary_headers_are_accepted(string name, string value) =>
        ResponseHeaderValidator.CheckHeader(name, value).Should().BeNull();

    [Theory]
    [InlineData("X-Evil", "a\r\nSet-Cookie: owned")]
    [InlineData("X-Evil", "a\nb")]
    [InlineData("X-Evil", "nul\0byte")]
    [InlineData("X-Wide", "\u20ac")]
    [InlineData("Bad Name", "v")]
    [InlineData("Bad:Name", "v")]
    [InlineData("", "v")]
    [InlineData("Connection", "close")]
    [InlineData("transfer-encoding", "chunked")]
    [InlineData("Upgrade", "websocket")]
    public void Headers_that_could_inject_or_that_belong_to_the_server_are_refused(string name, string value) =>
        ResponseHeaderValidator.CheckHeader(name, value).Should().NotBeNull();
}
