using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// A real nginx, configured by docs/deploy/nginx.conf, terminating TLS in front of gwserve over a
/// Unix socket and over TCP. curl connects from 127.0.0.2, so the client address the app sees can
/// only have come through X-Forwarded-For (nginx itself connects from 127.0.0.1 or the socket).
/// </summary>
public sealed class NginxTests : IDisposable
{
    private const string ClientAddress = "127.0.0.2";
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    private readonly TemporaryDirectory _directory = new("gwserve-nginx-");
    private readonly TestCertificates _certificates;

    public NginxTests()
    {
        _certificates = TestCertificates.Create(_directory.Path);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Behind_nginx_over_a_Unix_socket_the_app_sees_the_client_address_and_https()
    {
        string socket = Path.Combine(_directory.Path, "gwserve.sock");
        using GwserveProcess server = GwserveProcess.Launch([Behaviours, "--bind", "unix:" + socket]);
        await server.WaitForReadyWorkersAsync(1);
        using NginxProcess nginx = await NginxProcess.StartAsync(_directory.Path, "unix:" + socket, _certificates.ServerCertificate, _certificates.ServerKey);

        EnvironEcho environ = await CurlEnvironAsync($"https://localhost:{nginx.HttpsPort}/environ");

        environ["REMOTE_ADDR"].Should().Be(ClientAddress);
        environ["gateway.url_scheme"].Should().Be("https");
        environ["SERVER_NAME"].Should().Be("localhost");
        environ["SERVER_PORT"].Should().Be(nginx.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        environ["HTTP_X_FORWARDED_FOR"].Should().Be(ClientAddress, "the proxy headers stay visible as headers");
        environ["HTTP_X_FORWARDED_PROTO"].Should().Be("https");
    }

    [Fact]
    public async Task Behind_nginx_over_TCP_the_app_sees_the_client_address_and_https()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours);
        using NginxProcess nginx = await NginxProcess.StartAsync(_directory.Path, $"127.0.0.1:{server.Port}", _certificates.ServerCertificate, _certificates.ServerKey);

        EnvironEcho environ = await CurlEnvironAsync($"https://localhost:{nginx.HttpsPort}/environ");

        environ["REMOTE_ADDR"].Should().Be(ClientAddress);
        environ["gateway.url_scheme"].Should().Be("https");
        environ["SCRIPT_NAME"].Should().Be(string.Empty);
        environ["PATH_INFO"].Should().Be("/environ");
    }

    [Fact]
    public async Task A_client_that_forges_X_Forwarded_For_through_nginx_is_still_seen_as_itself()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours);
        using NginxProcess nginx = await NginxProcess.StartAsync(_directory.Path, $"127.0.0.1:{server.Port}", _certificates.ServerCertificate, _certificates.ServerKey);

        EnvironEcho environ = await CurlEnvironAsync($"https://localhost:{nginx.HttpsPort}/environ", "-H", "X-Forwarded-For: 203.0.113.66");

        environ["HTTP_X_FORWARDED_FOR"].Should().Be("203.0.113.66, " + ClientAddress);
        environ["REMOTE_ADDR"].Should().Be(ClientAddress);
    }

    [Fact]
    public async Task Under_nginx_s_prefix_location_the_app_sees_the_prefix_as_SCRIPT_NAME()
    {
        // As the config's comment on location /app/ says to run gwserve.
        using GwserveProcess server = await GwserveProcess.StartAsync(
            Behaviours, "--forwarded-headers", "x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix");
        using NginxProcess nginx = await NginxProcess.StartAsync(_directory.Path, $"127.0.0.1:{server.Port}", _certificates.ServerCertificate, _certificates.ServerKey);

        EnvironEcho environ = await CurlEnvironAsync($"https://localhost:{nginx.HttpsPort}/app/environ", "-H", "X-Forwarded-Prefix: //evil.example");

        environ["SCRIPT_NAME"].Should().Be("/app", "nginx overwrites the client's prefix");
        environ["PATH_INFO"].Should().Be("/environ");
    }

    /// <summary>
    /// Issue 15, finding 1: these headers once reached the app as REMOTE_ADDR=6.6.6.6, https,
    /// SERVER_NAME=evil.example and SCRIPT_NAME=//evil.example. gwserve is run as shipped, and as
    /// an operator who names every header: the config clears the ones it does not set, so even then
    /// nothing the client wrote gets through.
    /// </summary>
    [Theory]
    [InlineData("x-forwarded-for,x-forwarded-proto,x-forwarded-host")]
    [InlineData("x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix,forwarded")]
    public async Task A_client_that_forges_Forwarded_and_X_Forwarded_Prefix_through_nginx_over_TCP_is_still_seen_as_itself(string trustedHeaders)
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--forwarded-headers", trustedHeaders);
        using NginxProcess nginx = await NginxProcess.StartAsync(_directory.Path, $"127.0.0.1:{server.Port}", _certificates.ServerCertificate, _certificates.ServerKey);

        EnvironEcho environ = await CurlEnvironAsync(
            $"https://localhost:{nginx.HttpsPort}/environ",
            "-H", "Forwarded: for=6.6.6.6;proto=http;host=evil.example",
            "-H", "X-Forwarded-Prefix: //evil.example");

        environ["REMOTE_ADDR"].Should().Be(ClientAddress);
        environ["gateway.url_scheme"].Should().Be("https", "nginx's X-Forwarded-Proto, not the forged proto=http");
        environ["SERVER_NAME"].Should().Be("localhost");
        environ["SERVER_PORT"].Should().Be(nginx.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        environ["SCRIPT_NAME"].Should().Be(string.Empty);
        environ["HTTP_FORWARDED"].Should().BeNull("the shipped config clears it");
        environ["HTTP_X_FORWARDED_PREFIX"].Should().BeNull("the shipped config clears it");
    }

    [Fact]
    public async Task Plain_HTTP_to_nginx_is_redirected_to_https()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours);
        using NginxProcess nginx = await NginxProcess.StartAsync(_directory.Path, $"127.0.0.1:{server.Port}", _certificates.ServerCertificate, _certificates.ServerKey);

        ToolProcess.Result result = await ToolProcess.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", $"http://localhost:{nginx.HttpPort}/environ"]);

        result.Output.Should().Be($"301 https://localhost/environ");
    }

    private async Task<EnvironEcho> CurlEnvironAsync(string url, params string[] extra)
    {
        ToolProcess.Result result = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--interface", ClientAddress, "--cacert", _certificates.CaCertificate, .. extra, url]);
        result.ExitCode.Should().Be(0, result.Error);
        return EnvironEcho.Parse(result.Output);
    }
}
