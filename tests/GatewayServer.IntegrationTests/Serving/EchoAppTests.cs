using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class EchoAppTests
{
    private static readonly string Target = RepositoryLayout.Sample("EchoApp") + ":App";

    [Fact]
    public async Task Echo_reports_method_target_version_headers_and_body_exactly()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync(
            "PUT /a%20b/c?x=1&y=%2F HTTP/1.1\r\n" +
            "Host: localhost\r\n" +
            "X-Custom: first\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "X-Custom: second\r\n" +
            "X_Sneaky: dropped\r\n" +
            "Content-Length: 5\r\n" +
            "\r\n" +
            "hello");
        RawResponse response = await connection.ReadResponseAsync();

        response.StatusLine.Should().Be("HTTP/1.1 200 OK");
        response.WasChunked.Should().BeFalse("a single-chunk body gets a computed Content-Length");
        response.Header("Content-Length").Should().Be(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        EchoedRequest echo = EchoedRequest.Parse(response);
        echo.Method.Should().Be("PUT");
        echo.Target.Should().Be("/a%20b/c?x=1&y=%2F");
        echo.Version.Should().Be("HTTP/1.1");
        echo.Headers.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["host"] = "localhost",
            ["x-custom"] = "first, second",
            ["content-type"] = "text/plain; charset=utf-8",
            ["content-length"] = "5",
        });
        Encoding.ASCII.GetString(echo.Body).Should().Be("hello");
    }

    [Fact]
    public async Task Echo_of_an_HTTP_1_0_request_reports_its_version()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /old HTTP/1.0\r\n\r\n");
        EchoedRequest echo = EchoedRequest.Parse(await connection.ReadResponseAsync());

        echo.Method.Should().Be("GET");
        echo.Target.Should().Be("/old");
        echo.Version.Should().Be("HTTP/1.0");
        echo.Headers.Should().BeEmpty();
        echo.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task Noread_path_answers_without_reading_the_body_and_the_connection_still_serves_the_next_request()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("POST /noread/x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody");
        EchoedRequest first = EchoedRequest.Parse(await connection.ReadResponseAsync());
        first.Target.Should().Be("/noread/x");
        first.Body.Should().BeEmpty("the app never read it");

        // The unread body must be skipped by the server, not parsed as the next request.
        await connection.SendAsync("GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse second = await connection.ReadResponseAsync();
        second.Status.Should().Be(200);
        EchoedRequest.Parse(second).Target.Should().Be("/after");
    }

    [Fact]
    public async Task Malformed_chunked_body_read_by_the_app_gives_400_and_closes_the_connection()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n0\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(400);
        (await connection.IsClosedByServerAsync()).Should().BeTrue();
    }
}
