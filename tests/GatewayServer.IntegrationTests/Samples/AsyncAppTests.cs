using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Samples;

public sealed class AsyncAppTests
{
    private static readonly string Target = RepositoryLayout.Sample("AsyncApp") + ":App";

    [Fact]
    public async Task An_async_app_answers_with_an_async_enumerable_body()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse hello = await connection.ReadResponseAsync();
        hello.StatusLine.Should().Be("HTTP/1.1 200 OK");
        hello.BodyText.Should().Be("Hello from an async app\n");
        hello.WasChunked.Should().BeFalse("a body that ends right after its first chunk gets a Content-Length");
        hello.Header("Content-Length").Should().Be("24");

        await connection.SendAsync("GET /count?n=3&delay=20 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse count = await connection.ReadResponseAsync();
        count.WasChunked.Should().BeTrue();
        count.BodyText.Should().Be("line 1\nline 2\nline 3\n");

        // One line and no await after it: the end is seen at once.
        await connection.SendAsync("GET /count?n=1&delay=20 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse single = await connection.ReadResponseAsync();
        single.WasChunked.Should().BeFalse();
        single.BodyText.Should().Be("line 1\n");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_async_app_reads_the_request_body_with_ReadAsync(bool announceLength)
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port);
        var content = new GeneratedContent(5 * 1024 * 1024 + 3, announceLength);

        using HttpResponseMessage response = await client.PostAsync("/sha256", content);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        answer.RootElement.GetProperty("bytes").GetInt64().Should().Be(content.Length);
        answer.RootElement.GetProperty("sha256").GetString().Should().Be(content.Sha256);
    }
}
