using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.AspNetCore;

/// <summary>
/// What an ASP.NET Core app gets from Kestrel and must get from gwserve too: Kestrel's default
/// request body limit (30,000,000 bytes, 413 past it) and gwserve's --limit-request-body on top of
/// it, health checks, response compression, the client certificate under TLS and the client named
/// by the PROXY protocol.
/// </summary>
public sealed class AspNetCoreServerParityTests : IClassFixture<AspNetCoreAppServer>, IDisposable
{
    private const long KestrelDefaultBodyLimit = 30_000_000;

    private readonly AspNetCoreAppServer _app;
    private readonly TemporaryDirectory _directory = new("gwserve-aspnet-parity-");

    public AspNetCoreServerParityTests(AspNetCoreAppServer app)
    {
        _app = app;
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_framework_assemblies_the_app_runs_with_are_of_the_runtimes_major_version()
    {
        using HttpClient client = SampleClient.For(_app.Port);

        using JsonDocument versions = JsonDocument.Parse(await client.GetStringAsync("/assembly-versions"));

        // gwserve's own copies of Microsoft.Extensions.* sit in the worker's trusted platform
        // assemblies and win over the framework's: they must be the same major version as the
        // runtime the app was built for, so the app sees the APIs it was compiled against.
        int major = Environment.Version.Major;
        foreach (JsonProperty assembly in versions.RootElement.EnumerateObject())
        {
            Version.Parse(assembly.Value.GetString()!).Major.Should().Be(major, $"{assembly.Name} is the framework's major version");
        }

        versions.RootElement.EnumerateObject().Should().HaveCount(5);
    }

    [Fact]
    public async Task A_body_declared_over_Kestrels_default_limit_is_answered_413_and_a_smaller_one_is_read()
    {
        using RawHttpConnection limit = await RawHttpConnection.OpenAsync(_app.Port);
        await limit.SendAsync("GET /body-limit HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await limit.ReadResponseAsync()).BodyText.Should().Be(KestrelDefaultBodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using RawHttpConnection small = await RawHttpConnection.OpenAsync(_app.Port);
        await small.SendAsync("POST /body-length HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
        (await small.ReadResponseAsync()).BodyText.Should().Be("5");

        // Refused from its Content-Length alone, before any of it is sent (as Kestrel does).
        using RawHttpConnection large = await RawHttpConnection.OpenAsync(_app.Port);
        await large.SendAsync($"POST /body-length HTTP/1.1\r\nHost: localhost\r\nContent-Length: {KestrelDefaultBodyLimit + 1}\r\n\r\n");
        RawResponse refused = await large.ReadResponseAsync();
        refused.Status.Should().Be(413);
        refused.ClosesConnection.Should().BeTrue("the unread body cannot be skipped");
    }

    [Fact]
    public async Task With_limit_request_body_the_apps_default_limit_is_that_value_and_a_larger_body_is_answered_413()
    {
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(1, "--limit-request-body", "1000");

        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /body-limit HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).BodyText.Should().Be("1000");
        await connection.SendAsync($"POST /body-length HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{new string('a', 1000)}");
        (await connection.ReadResponseAsync()).BodyText.Should().Be("1000");

        using RawHttpConnection large = await RawHttpConnection.OpenAsync(server.Port);
        await large.SendAsync("POST /body-length HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1001\r\n\r\n");
        (await large.ReadResponseAsync()).Status.Should().Be(413);
    }

    [Fact]
    public async Task A_response_flushed_in_pieces_while_the_app_hops_between_threads_arrives_whole_and_in_order()
    {
        string expected = string.Concat(Enumerable.Range(0, 50).Select(i => $"{i};"));
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        for (int round = 0; round < 20; round++)
        {
            await connection.SendAsync("GET /flush-and-hop HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse response = await connection.ReadResponseAsync();
            response.Status.Should().Be(200);
            response.WasChunked.Should().BeTrue();
            response.BodyText.Should().Be(expected, $"round {round} on one keep-alive connection");
        }
    }

    [Fact]
    public async Task Health_checks_mapped_by_the_app_answer_Healthy()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200);
        response.BodyText.Should().Be("Healthy");
    }

    [Fact]
    public async Task Response_compression_gzips_for_a_client_that_accepts_it_and_not_for_one_that_does_not()
    {
        string expected = string.Concat(Enumerable.Repeat("compress me please ", 200));
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);

        await connection.SendAsync("GET /compressed/text HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n");
        RawResponse gzipped = await connection.ReadResponseAsync();
        gzipped.Header("Content-Encoding").Should().Be("gzip");
        gzipped.Body.Length.Should().BeLessThan(expected.Length / 4);
        using (var gzip = new GZipStream(new MemoryStream(gzipped.Body), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
        {
            (await reader.ReadToEndAsync()).Should().Be(expected);
        }

        await connection.SendAsync("GET /compressed/text HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse plain = await connection.ReadResponseAsync();
        plain.Header("Content-Encoding").Should().BeNull();
        plain.BodyText.Should().Be(expected);
    }

    [Fact]
    public async Task Under_TLS_the_app_sees_https_and_the_client_certificate_curl_presented()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(1,
            "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey, "--ca-certs", certificates.CaCertificate, "--cert-reqs", "optional");
        string url = $"https://localhost:{server.Port}/client-certificate";

        ToolProcess.Result with = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--cacert", certificates.CaCertificate, "--cert", certificates.ClientCertificate, "--key", certificates.ClientKey, url]);
        ToolProcess.Result without = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--cacert", certificates.CaCertificate, url]);

        with.ExitCode.Should().Be(0, with.Error);
        using JsonDocument identified = JsonDocument.Parse(with.Output);
        identified.RootElement.GetProperty("subject").GetString().Should().Be(TestCertificates.ClientSubject);
        identified.RootElement.GetProperty("scheme").GetString().Should().Be("https");
        identified.RootElement.GetProperty("isHttps").GetBoolean().Should().BeTrue();
        without.ExitCode.Should().Be(0, without.Error);
        using JsonDocument anonymous = JsonDocument.Parse(without.Output);
        anonymous.RootElement.GetProperty("subject").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Under_the_PROXY_protocol_the_connection_names_the_client_the_proxy_sent()
    {
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(1, "--proxy-protocol");

        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("PROXY TCP4 203.0.113.7 127.0.0.1 56324 8000\r\nGET /connection HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        using JsonDocument info = JsonDocument.Parse(response.Body);
        info.RootElement.GetProperty("remoteIp").GetString().Should().Be("203.0.113.7");
        info.RootElement.GetProperty("remotePort").GetInt32().Should().Be(56324);
        info.RootElement.GetProperty("scheme").GetString().Should().Be("http");
    }
}
