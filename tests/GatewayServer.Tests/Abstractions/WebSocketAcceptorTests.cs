namespace GatewayServer.Tests.Abstractions;

public sealed class WebSocketAcceptorTests
{
    private static readonly ProtocolUpgrade NeverCalled = () => throw new InvalidOperationException("a refused handshake must not upgrade");

    [Fact]
    public void The_accept_value_is_the_one_RFC_6455_gives_for_its_sample_key() =>
        WebSocketAcceptor.AcceptValue("dGhlIHNhbXBsZSBub25jZQ==").Should().Be("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

    [Theory]
    [InlineData("8")]
    [InlineData("14")]
    [InlineData("")]
    public void Another_version_is_answered_426_naming_version_13(string version)
    {
        (string? status, IReadOnlyList<KeyValuePair<string, string>>? headers) = Refuse(Handshake(version: version));

        status.Should().Be("426 Upgrade Required");
        headers.Should().Contain(new KeyValuePair<string, string>("Sec-WebSocket-Version", "13"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64 at all, no!!")]
    public void A_missing_or_malformed_key_is_answered_400(string? key) =>
        Refuse(Handshake(key: key)).Status.Should().Be("400 Bad Request");

    [Fact]
    public void A_request_that_may_not_upgrade_or_does_not_ask_for_a_websocket_is_answered_400()
    {
        Dictionary<string, object?> noUpgrade = Handshake();
        noUpgrade.Remove(EnvironKeys.Upgrade);
        Dictionary<string, object?> otherProtocol = Handshake();
        otherProtocol["HTTP_UPGRADE"] = "h2c";
        Dictionary<string, object?> post = Handshake();
        post[EnvironKeys.RequestMethod] = "POST";

        WebSocketAcceptor.IsWebSocketRequest(noUpgrade).Should().BeFalse();
        WebSocketAcceptor.IsWebSocketRequest(otherProtocol).Should().BeFalse();
        Refuse(noUpgrade).Status.Should().Be("400 Bad Request");
        Refuse(otherProtocol).Status.Should().Be("400 Bad Request");
        Refuse(post).Status.Should().Be("400 Bad Request");
    }

    [Fact]
    public void A_subprotocol_the_client_did_not_offer_is_the_applications_error()
    {
        Dictionary<string, object?> environ = Handshake();
        environ["HTTP_SEC_WEBSOCKET_PROTOCOL"] = "chat, superchat";

        WebSocketAcceptor.RequestedSubProtocols(environ).Should().Equal("chat", "superchat");
        Action accept = () => WebSocketAcceptor.Accept(environ, (_, _, _) => { }, subProtocol: "other");
        accept.Should().Throw<ArgumentException>();
    }

    private static Dictionary<string, object?> Handshake(string? version = "13", string? key = "dGhlIHNhbXBsZSBub25jZQ==")
    {
        var environ = new Dictionary<string, object?>
        {
            [EnvironKeys.RequestMethod] = "GET",
            [EnvironKeys.Upgrade] = NeverCalled,
            ["HTTP_UPGRADE"] = "websocket",
            ["HTTP_CONNECTION"] = "Upgrade",
        };
        if (version is not null)
        {
            environ["HTTP_SEC_WEBSOCKET_VERSION"] = version;
        }

        if (key is not null)
        {
            environ["HTTP_SEC_WEBSOCKET_KEY"] = key;
        }

        return environ;
    }

    private static (string? Status, IReadOnlyList<KeyValuePair<string, string>>? Headers) Refuse(Dictionary<string, object?> environ)
    {
        string? status = null;
        IReadOnlyList<KeyValuePair<string, string>>? headers = null;
        WebSocketAcceptor.Accept(environ, (s, h, _) => (status, headers) = (s, h)).Should().BeNull();
        return (status, headers);
    }
}
