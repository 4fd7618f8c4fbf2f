using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Samples;

public sealed class OwinAppTests
{
    private static readonly string Target = RepositoryLayout.Sample("OwinApp") + ":Startup.App";

    [Fact]
    public async Task An_unmodified_OWIN_app_answers_with_its_own_headers_and_Content_Length()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.StatusLine.Should().Be("HTTP/1.1 200 OK");
        response.Header("Content-Length").Should().Be("23");
        response.Header("X-Powered-By").Should().Be("OwinApp", "server.OnSendingHeaders callbacks run before the head goes out");
        response.WasChunked.Should().BeFalse();
        response.BodyText.Should().Be("Hello from an OWIN app\n");
    }

    [Fact]
    public async Task The_OWIN_request_keys_describe_the_request()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /request?x=1&y=%20 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: owin-test/1.0\r\nX-Custom-Thing: yes\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200);
        using JsonDocument request = JsonDocument.Parse(response.Body);
        JsonElement root = request.RootElement;
        root.GetProperty("version").GetString().Should().Be("1.0");
        root.GetProperty("method").GetString().Should().Be("GET");
        root.GetProperty("scheme").GetString().Should().Be("http");
        root.GetProperty("pathBase").GetString().Should().Be("");
        root.GetProperty("path").GetString().Should().Be("/request");
        root.GetProperty("query").GetString().Should().Be("x=1&y=%20");
        root.GetProperty("protocol").GetString().Should().Be("HTTP/1.1");
        root.GetProperty("remoteIp").GetString().Should().Be("127.0.0.1");
        root.GetProperty("isLocal").GetBoolean().Should().BeTrue();
        root.GetProperty("cancellable").GetBoolean().Should().BeTrue();
        root.GetProperty("userAgent")[0].GetString().Should().Be("owin-test/1.0");
        root.GetProperty("headers").EnumerateArray().Select(h => h.GetString()).Should().BeEquivalentTo("Host", "User-Agent", "X-Custom-Thing");
    }

    [Fact]
    public async Task Status_reason_phrase_and_repeated_headers_come_back_from_the_OWIN_response_keys()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello owin!");
        RawResponse response = await connection.ReadResponseAsync();

        response.StatusLine.Should().Be("HTTP/1.1 201 Echoed");
        response.HeaderValues("Set-Cookie").Should().Equal("a=1", "b=2");
        response.Header("Content-Type").Should().Be("text/plain");
        response.BodyText.Should().Be("hello owin!");

        await connection.SendAsync("GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse missing = await connection.ReadResponseAsync();
        missing.StatusLine.Should().Be("HTTP/1.1 404 Not Found");
        missing.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task An_OWIN_response_is_streamed_the_first_write_arrives_while_the_app_still_runs()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using HttpClient client = SampleClient.For(server.Port);

        using HttpResponseMessage response = await client.GetAsync("/stream?signal=s1", HttpCompletionOption.ResponseHeadersRead);
        response.Headers.TransferEncodingChunked.Should().BeTrue();
        Stream body = await response.Content.ReadAsStreamAsync();
        (await SampleClient.ReadUntilAsync(body, "\n", TimeSpan.FromSeconds(10))).Should().Be("first part\n");

        using HttpResponseMessage signal = await client.GetAsync("/signal?name=s1");
        signal.StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);
        (await new StreamReader(body).ReadToEndAsync()).Should().Be("second part\n");
    }
}
