using System.Diagnostics;
using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace GatewayServer.IntegrationTests.Samples;

public sealed class UploadAppTests(ITestOutputHelper output) : IDisposable
{
    private const long ResidentLimit = 100L * 1024 * 1024;

    private readonly TemporaryDirectory _uploads = new("gwserve-upload-");

    private string Target => $"{RepositoryLayout.Sample("UploadApp")}:App(\"{_uploads.Path}\")";

    public void Dispose() => _uploads.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_upload_is_stored_and_answered_with_its_size_and_hash(bool announceLength)
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port);
        var content = new GeneratedContent(3 * 1024 * 1024 + 17, announceLength);

        using HttpResponseMessage response = await client.PostAsync("/upload", content);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        answer.RootElement.GetProperty("bytes").GetInt64().Should().Be(content.Length);
        answer.RootElement.GetProperty("sha256").GetString().Should().Be(content.Sha256);
        Directory.EnumerateFileSystemEntries(_uploads.Path).Should().BeEmpty("the temporary file is deleted with the response");
    }

    [Fact]
    [Trait("Category", "Large")]
    public async Task A_1_GiB_upload_keeps_the_workers_resident_memory_under_100_MB()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Target, workers: 1);
        int worker = server.WorkerPids().Should().ContainSingle().Subject;
        using HttpClient client = SampleClient.For(server.Port, TimeSpan.FromMinutes(2));
        var content = new GeneratedContent(1L << 30);
        long before = ResidentMemorySampler.ReadResidentBytes(worker) ?? 0;

        var timer = Stopwatch.StartNew();
        HttpResponseMessage response;
        long peak;
        int samples;
        await using (var sampler = new ResidentMemorySampler(worker, TimeSpan.FromMilliseconds(20)))
        {
            response = await client.PostAsync("/upload", content);
            await sampler.DisposeAsync();
            peak = sampler.PeakBytes;
            samples = sampler.Samples;
        }

        using (response)
        {
            output.WriteLine($"1 GiB upload in {timer.Elapsed.TotalSeconds:F1} s; worker VmRSS {before / 1048576} MB before, peak {peak / 1048576} MB over {samples} samples");
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            answer.RootElement.GetProperty("bytes").GetInt64().Should().Be(1L << 30);
            answer.RootElement.GetProperty("sha256").GetString().Should().Be(content.Sha256);
        }

        samples.Should().BeGreaterThan(10, "the memory was sampled during the upload");
        peak.Should().BeLessThan(ResidentLimit);
    }
}
