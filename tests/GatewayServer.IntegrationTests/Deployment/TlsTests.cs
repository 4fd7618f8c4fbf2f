using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>gwserve terminating TLS itself (--certfile/--keyfile), checked with curl --cacert and HttpClient.</summary>
public sealed class TlsTests : IDisposable
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    private readonly TemporaryDirectory _directory = new("gwserve-tls-");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Curl_trusting_the_CA_gets_an_https_response_over_ECDSA_and_RSA_certificates(bool rsa)
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path, rsa);
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey);

        ToolProcess.Result result = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "-v", "--cacert", certificates.CaCertificate, $"https://localhost:{server.Port}/environ"]);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Contain("ALPN: server accepted http/1.1");
        EnvironEcho environ = EnvironEcho.Parse(result.Output);
        environ["gateway.url_scheme"].Should().Be("https");
        environ["SERVER_PORT"].Should().Be(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        environ["client_certificate"].Should().BeNull();
        server.Lines.Should().Contain(l => l.Contains($"Listening at: https://127.0.0.1:{server.Port} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpClient_keeps_a_TLS_connection_alive_across_requests()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey);
        using HttpClient client = Client(certificates, server.Port);

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.GetAsync("/environ");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Version.Should().Be(HttpVersion.Version11);
            EnvironEcho.Parse(await response.Content.ReadAsStringAsync())["gateway.url_scheme"].Should().Be("https");
        }

        server.Output.Should().NotContain("Connection error");
    }

    [Fact]
    public async Task A_file_body_and_a_large_upload_pass_through_TLS_byte_exact()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        string files = Directory.CreateDirectory(Path.Combine(_directory.Path, "files")).FullName;
        using GwserveProcess streaming = await GwserveProcess.StartAsync($"{RepositoryLayout.Sample("StreamingApp")}:App(\"{files}\")", "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey);
        using GwserveProcess upload = await GwserveProcess.StartAsync(RepositoryLayout.Sample("UploadApp") + ":App", "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey);
        using HttpClient streamingClient = Client(certificates, streaming.Port);
        using HttpClient uploadClient = Client(certificates, upload.Port);

        byte[] file = await streamingClient.GetByteArrayAsync("/file?mb=2");
        var content = new GeneratedContent(8L * 1024 * 1024);
        using HttpResponseMessage uploaded = await uploadClient.PostAsync("/upload", content);

        Convert.ToHexStringLower(SHA256.HashData(file)).Should().Be(File.ReadAllText(Path.Combine(files, "2mb.bin.sha256")));
        uploaded.StatusCode.Should().Be(HttpStatusCode.OK);
        using var answer = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
        answer.RootElement.GetProperty("sha256").GetString().Should().Be(content.Sha256);
    }

    [Fact]
    public async Task With_client_certificates_required_a_client_without_one_is_refused_and_one_with_one_is_served()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours,
            "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey, "--ca-certs", certificates.CaCertificate, "--cert-reqs", "required");
        string url = $"https://localhost:{server.Port}/environ";

        ToolProcess.Result without = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--cacert", certificates.CaCertificate, url]);
        ToolProcess.Result with = await ToolProcess.RunAsync("curl", ["-sS", "--fail", "--cacert", certificates.CaCertificate, "--cert", certificates.ClientCertificate, "--key", certificates.ClientKey, url]);

        without.ExitCode.Should().NotBe(0);
        without.Output.Should().BeEmpty();
        with.ExitCode.Should().Be(0, with.Error);
        EnvironEcho.Parse(with.Output)["client_certificate"].Should().Be(TestCertificates.ClientSubject);
    }

    [Fact]
    public async Task With_client_certificates_optional_a_client_without_one_is_served()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours,
            "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey, "--ca-certs", certificates.CaCertificate, "--cert-reqs", "optional");
        using HttpClient anonymous = Client(certificates, server.Port);
        using HttpClient identified = Client(certificates, server.Port, certificates.LoadClientCertificate());

        EnvironEcho.Parse(await anonymous.GetStringAsync("/environ"))["client_certificate"].Should().BeNull();
        EnvironEcho.Parse(await identified.GetStringAsync("/environ"))["client_certificate"].Should().Be(TestCertificates.ClientSubject);
    }

    [Fact]
    public async Task A_certificate_given_as_the_key_stops_gwserve_before_it_starts_and_says_why()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        using GwserveProcess server = GwserveProcess.Launch([Behaviours, "--bind", "127.0.0.1:0", "--certfile", certificates.ServerCertificate, "--keyfile", certificates.CaCertificate]);

        int exitCode = await server.WaitForExitAsync();

        exitCode.Should().Be(2);
        server.Output.Should().Contain("for keyfile: expected a PEM file holding a private key");
    }

    private static HttpClient Client(TestCertificates certificates, int port, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null)
    {
        var authority = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificates.CaCertificate));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
                {
                    TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    CustomTrustStore = { authority },
                },
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}") };
    }
}
