using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class HelloAppTests
{
    private static readonly string Target = RepositoryLayout.Sample("HelloApp") + ":App";

    [Fact]
    public async Task Hello_world_response_is_byte_correct()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.StatusLine.Should().Be("HTTP/1.1 200 OK");
        response.Header("Content-Type").Should().Be("text/plain");
        response.Header("Content-Length").Should().Be("13");
        response.Header("Server").Should().Be("gwserve");
        DateTimeOffset.Parse(response.Header("Date")!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        response.BodyText.Should().Be("Hello, World!");
        response.Headers.Select(h => h.Key).Should().Equal("Server", "Date", "Content-Type", "Content-Length");
    }

    [Fact]
    public async Task Hundred_requests_on_one_keep_alive_connection_are_all_answered_in_order()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        for (int i = 0; i < 100; i++)
        {
            await connection.SendAsync($"GET /{i} HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse response = await connection.ReadResponseAsync();
            response.Status.Should().Be(200);
            response.ClosesConnection.Should().BeFalse();
            response.BodyText.Should().Be("Hello, World!");
        }
    }
}
