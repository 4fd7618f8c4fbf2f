using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>Proxy headers sent straight to gwserve: trusted from --forwarded-allow-ips and Unix sockets, inert from anyone else.</summary>
public sealed class ProxyHeaderTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    private const string ForgedHeaders =
        "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: example.com\r\nX-Forwarded-Prefix: /app\r\n";

    [Fact]
    public async Task Proxy_headers_from_an_untrusted_address_are_plain_headers_and_change_nothing()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--forwarded-allow-ips", "10.9.9.9");

        EnvironEcho environ = await RequestEnvironAsync(server.Port, ForgedHeaders + "Forwarded: for=198.51.100.1;proto=https;host=evil.example\r\n");

        environ["REMOTE_ADDR"].Should().Be("127.0.0.1");
        environ["gateway.url_scheme"].Should().Be("http");
        environ["SERVER_NAME"].Should().Be("localhost");
        environ["SERVER_PORT"].Should().Be("80");
        environ["SCRIPT_NAME"].Should().Be(string.Empty);
        environ["HTTP_X_FORWARDED_FOR"].Should().Be("203.0.113.7");
        environ["HTTP_X_FORWARDED_PROTO"].Should().Be("https");
        environ["HTTP_X_FORWARDED_HOST"].Should().Be("example.com");
        environ["HTTP_X_FORWARDED_PREFIX"].Should().Be("/app");
        environ["HTTP_FORWARDED"].Should().Be("for=198.51.100.1;proto=https;host=evil.example");
    }

    [Fact]
    public async Task Proxy_headers_from_a_trusted_address_set_client_scheme_host_and_prefix()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(
            Behaviours, "--forwarded-headers", "x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix");

        EnvironEcho environ = await RequestEnvironAsync(server.Port, ForgedHeaders);

        environ["REMOTE_ADDR"].Should().Be("203.0.113.7");
        environ["gateway.url_scheme"].Should().Be("https");
        environ["SERVER_NAME"].Should().Be("example.com");
        environ["SERVER_PORT"].Should().Be("443");
        environ["SCRIPT_NAME"].Should().Be("/app");
        environ["HTTP_X_FORWARDED_FOR"].Should().Be("203.0.113.7");
    }

    [Fact]
    public async Task An_RFC_7239_Forwarded_header_from_a_trusted_address_is_honoured()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--forwarded-allow-ips", "127.0.0.0/8", "--forwarded-headers", "forwarded");

        EnvironEcho environ = await RequestEnvironAsync(server.Port, "Forwarded: for=\"[2001:db8::17]:4711\";proto=https;host=shop.example\r\n");

        environ["REMOTE_ADDR"].Should().Be("2001:db8::17");
        environ["REMOTE_PORT"].Should().Be("4711");
        environ["gateway.url_scheme"].Should().Be("https");
        environ["SERVER_NAME"].Should().Be("shop.example");
    }

    [Fact]
    public async Task From_a_trusted_address_only_the_headers_of_forwarded_headers_are_believed()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--forwarded-headers", "x-forwarded-proto");

        EnvironEcho environ = await RequestEnvironAsync(server.Port, ForgedHeaders + "Forwarded: for=198.51.100.1;proto=http;host=evil.example\r\n");

        environ["gateway.url_scheme"].Should().Be("https");
        environ["REMOTE_ADDR"].Should().Be("127.0.0.1");
        environ["SERVER_NAME"].Should().Be("localhost");
        environ["SCRIPT_NAME"].Should().Be(string.Empty);
    }

    [Fact]
    public async Task By_default_Forwarded_and_X_Forwarded_Prefix_from_a_trusted_address_change_nothing()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours);

        EnvironEcho environ = await RequestEnvironAsync(server.Port, "Forwarded: for=6.6.6.6;proto=https;host=evil.example\r\nX-Forwarded-Prefix: /app\r\n");

        environ["REMOTE_ADDR"].Should().Be("127.0.0.1");
        environ["gateway.url_scheme"].Should().Be("http");
        environ["SERVER_NAME"].Should().Be("localhost");
        environ["SCRIPT_NAME"].Should().Be(string.Empty);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/app/../admin")]
    [InlineData("/\\evil.example")]
    [InlineData("/%2e%2e/admin")]
    public async Task A_trusted_prefix_that_is_not_a_clean_absolute_path_is_ignored(string prefix)
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--forwarded-headers", "x-forwarded-prefix", "--script-name", "/api");

        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync($"GET /api/environ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Prefix: {prefix}\r\nConnection: close\r\n\r\n");
        EnvironEcho environ = EnvironEcho.Parse((await connection.ReadResponseAsync()).Body);

        environ["SCRIPT_NAME"].Should().Be("/api", "only --script-name is left");
        environ["HTTP_X_FORWARDED_PREFIX"].Should().Be(prefix);
    }

    [Fact]
    public async Task Curl_over_a_Unix_socket_is_served_and_its_proxy_headers_are_trusted()
    {
        using var directory = new TemporaryDirectory("gwserve-unix-");
        string socket = Path.Combine(directory.Path, "gwserve.sock");
        using GwserveProcess server = GwserveProcess.Launch([Behaviours, "--bind", "unix:" + socket, "--forwarded-allow-ips", "10.9.9.9"]);
        await server.WaitForReadyWorkersAsync(1);

        ToolProcess.Result plain = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--unix-socket", socket, "http://localhost/environ"]);
        ToolProcess.Result proxied = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--unix-socket", socket, "-H", "X-Forwarded-For: 203.0.113.7", "-H", "X-Forwarded-Proto: https", "http://localhost/environ"]);

        plain.ExitCode.Should().Be(0, plain.Error);
        EnvironEcho.Parse(plain.Output)["REMOTE_ADDR"].Should().Be(string.Empty, "a Unix-socket peer has no address");
        proxied.ExitCode.Should().Be(0, proxied.Error);
        EnvironEcho.Parse(proxied.Output)["REMOTE_ADDR"].Should().Be("203.0.113.7");
        EnvironEcho.Parse(proxied.Output)["gateway.url_scheme"].Should().Be("https");
    }

    public static async Task<EnvironEcho> RequestEnvironAsync(int port, string headers)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync($"GET /environ HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();
        response.Status.Should().Be(200, Encoding.UTF8.GetString(response.Body));
        return EnvironEcho.Parse(response.Body);
    }
}
