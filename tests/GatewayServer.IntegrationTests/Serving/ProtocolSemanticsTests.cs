using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class ProtocolSemanticsTests
{
    private static readonly string Echo = RepositoryLayout.Sample("EchoApp") + ":App";
    private static readonly string Hello = RepositoryLayout.Sample("HelloApp") + ":App";
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task Multi_chunk_body_is_sent_chunked_on_HTTP_1_1()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /chunks HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.WasChunked.Should().BeTrue();
        response.Header("Content-Length").Should().BeNull();
        response.BodyText.Should().Be("onetwothree");
    }

    [Fact]
    public async Task HTTP_1_0_response_has_no_chunked_framing_and_the_connection_closes_after_it()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /chunks HTTP/1.0\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200);
        response.Header("Transfer-Encoding").Should().BeNull("HTTP/1.0 has no chunked coding (RFC 9112 section 7)");
        response.WasChunked.Should().BeFalse();
        response.BodyText.Should().Be("onetwothree", "the body is delimited by the close");
        (await connection.IsClosedByServerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task HTTP_1_0_connection_with_a_length_closes_after_the_response_unless_keep_alive_was_asked()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Echo);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /plain HTTP/1.0\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200);
        response.Header("Content-Length").Should().NotBeNull();
        response.Header("Connection").Should().NotBeEquivalentTo("keep-alive");
        (await connection.IsClosedByServerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task HTTP_1_0_connection_asking_for_keep_alive_stays_open()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Echo);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /first HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawResponse first = await connection.ReadResponseAsync();
        first.Header("Connection").Should().BeEquivalentTo("keep-alive");
        first.Header("Content-Length").Should().NotBeNull();

        await connection.SendAsync("GET /second HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        EchoedRequest.Parse(await connection.ReadResponseAsync()).Target.Should().Be("/second");
    }

    [Fact]
    public async Task HEAD_response_has_the_headers_of_GET_and_no_body()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Hello);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse head = await connection.ReadResponseAsync(isHead: true);
        head.StatusLine.Should().Be("HTTP/1.1 200 OK");
        head.Header("Content-Length").Should().Be("13");
        head.Header("Content-Type").Should().Be("text/plain");

        // Had a body followed the HEAD response, it would now be read as the next status line.
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse get = await connection.ReadResponseAsync();
        get.StatusLine.Should().Be("HTTP/1.1 200 OK");
        get.BodyText.Should().Be("Hello, World!");
    }

    [Fact]
    public async Task Expect_100_continue_gets_the_100_when_the_app_reads_the_body_then_the_final_response()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Echo);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("POST /upload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        RawResponse interim = await connection.ReadResponseAsync();
        interim.StatusLine.Should().Be("HTTP/1.1 100 Continue");
        interim.Headers.Should().BeEmpty();

        await connection.SendAsync("hello");
        RawResponse final = await connection.ReadResponseAsync();
        final.Status.Should().Be(200);
        Encoding.ASCII.GetString(EchoedRequest.Parse(final).Body).Should().Be("hello");
    }

    [Fact]
    public async Task Expect_100_continue_to_an_app_that_does_not_read_gets_the_final_response_and_no_100()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Echo);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("POST /noread HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.Status.Should().Be(200, "the final response comes first, with no 100 before it");
        EchoedRequest.Parse(response).Body.Should().BeEmpty();
        response.ClosesConnection.Should().BeTrue("the body may or may not follow, so the connection cannot be reused");
        (await connection.IsClosedByServerAsync()).Should().BeTrue();
    }
}
