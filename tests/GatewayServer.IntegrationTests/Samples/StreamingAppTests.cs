using System.Diagnostics;
using System.Net.Http.Headers;
using GatewayServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace GatewayServer.IntegrationTests.Samples;

public sealed class StreamingAppTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryDirectory _files = new("gwserve-streaming-");

    private string Target => $"{RepositoryLayout.Sample("StreamingApp")}:App(\"{_files.Path}\")";

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_generated_64_MiB_download_arrives_chunked_and_byte_exact()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port);

        using HttpResponseMessage response = await client.GetAsync("/download?mb=64", HttpCompletionOption.ResponseHeadersRead);
        (long length, string sha256) = await SampleClient.HashAsync(await response.Content.ReadAsStreamAsync());

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        response.Headers.TransferEncodingChunked.Should().BeTrue();
        length.Should().Be(64L * 1024 * 1024);
        sha256.Should().Be(response.Headers.GetValues("X-Content-SHA256").Single());
    }

    [Fact]
    public async Task Each_server_sent_event_reaches_the_client_before_the_app_produces_the_next()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port);

        using HttpResponseMessage response = await client.GetAsync("/events?channel=c1&count=2", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        Stream events = await response.Content.ReadAsStreamAsync();

        // The app waits for the signal before the second event: the first must already be here.
        string first = await SampleClient.ReadUntilAsync(events, "\n\n", TimeSpan.FromSeconds(10));
        first.Should().Be("id: 1\ndata: event 1 of 2\n\n");

        using HttpResponseMessage released = await client.PostAsync("/events/next?channel=c1", null);
        released.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        string rest = await new StreamReader(events).ReadToEndAsync();
        rest.Should().Be("id: 2\ndata: event 2 of 2\n\n");
    }

    [Fact]
    public async Task A_file_wrapper_body_is_sent_whole_and_by_range()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port);

        byte[] whole = await client.GetByteArrayAsync("/file?mb=2");
        whole.Should().HaveCount(2 * 1024 * 1024);
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(whole))
            .Should().Be(File.ReadAllText(Path.Combine(_files.Path, "2mb.bin.sha256")));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/file?mb=2");
        request.Headers.Range = new RangeHeaderValue(1000, 70_999);
        using HttpResponseMessage partial = await client.SendAsync(request);
        partial.StatusCode.Should().Be(System.Net.HttpStatusCode.PartialContent);
        partial.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 1000-70999/{whole.Length}");
        (await partial.Content.ReadAsByteArrayAsync()).Should().Equal(whole[1000..71_000]);

        using var beyond = new HttpRequestMessage(HttpMethod.Get, "/file?mb=2");
        beyond.Headers.Range = new RangeHeaderValue(whole.Length, null);
        using HttpResponseMessage unsatisfiable = await client.SendAsync(beyond);
        unsatisfiable.StatusCode.Should().Be(System.Net.HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    [Trait("Category", "Large")]
    public async Task A_1_GiB_file_wrapper_download_arrives_byte_exact()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port, TimeSpan.FromMinutes(2));

        // The first request generates the file; the second is the measured one.
        var timer = Stopwatch.StartNew();
        using (HttpResponseMessage prepare = await client.GetAsync("/file?mb=1024", HttpCompletionOption.ResponseHeadersRead))
        {
            prepare.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        TimeSpan generated = timer.Elapsed;
        timer.Restart();
        using HttpResponseMessage response = await client.GetAsync("/file?mb=1024", HttpCompletionOption.ResponseHeadersRead);
        (long length, string sha256) = await SampleClient.HashAsync(await response.Content.ReadAsStreamAsync());
        output.WriteLine($"1 GiB file: generated in {generated.TotalSeconds:F1} s, downloaded and hashed in {timer.Elapsed.TotalSeconds:F1} s");

        response.Content.Headers.ContentLength.Should().Be(1L << 30);
        length.Should().Be(1L << 30);
        sha256.Should().Be(response.Headers.GetValues("X-Content-SHA256").Single());
    }
}
