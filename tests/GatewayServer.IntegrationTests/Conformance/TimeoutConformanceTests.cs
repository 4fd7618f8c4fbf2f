using System.Diagnostics;
using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>
/// Timeouts against a server started with --header-timeout 1, --keep-alive 1, --body-timeout 3,
/// --min-request-body-rate 100 and a one-second grace. Tests await the server's answer or close;
/// the only waits are the pauses of a deliberately slow client.
/// </summary>
public sealed class TimeoutConformanceTests(ShortTimeoutsServerFixture server) : IClassFixture<ShortTimeoutsServerFixture>
{
    private const string H = "Host: example.com\r\n";

    [Fact]
    public async Task Incomplete_head_gets_408_and_the_connection_closes()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET / HTTP/1.1\r\n" + H);
        RawResponse response = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        response.Status.Should().Be(408);
        response.ClosesConnection.Should().BeTrue();
        (await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task Head_trickling_in_a_byte_at_a_time_gets_408_at_the_header_timeout()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        var watch = Stopwatch.StartNew();
        Task<RawResponse> answer = connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(8));
        byte[] head = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX-Slow: " + new string('a', 200));
        foreach (byte b in head)
        {
            if (answer.IsCompleted)
            {
                break;
            }

            try
            {
                await connection.SendAsync([b]);
            }
            catch (System.Net.Sockets.SocketException)
            {
                break;
            }

            await Task.Delay(100);
        }

        RawResponse response = await answer;
        response.Status.Should().Be(408);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4), "each byte must not buy the client another header-timeout");
    }

    [Fact]
    public async Task Idle_connection_that_never_sends_is_closed_without_a_response()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        (await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task Idle_keep_alive_connection_is_closed_after_keep_alive_seconds_without_a_response()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET / HTTP/1.1\r\n" + H + "\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(200);
        var watch = Stopwatch.StartNew();
        (await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task Stalled_body_gets_408_and_the_connection_closes()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\nabc");
        RawResponse response = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(8));
        response.Status.Should().Be(408);
        response.ClosesConnection.Should().BeTrue();
        (await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task Chunked_body_trickling_below_the_minimum_rate_is_cut_off_with_408()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n");
        Task<RawResponse> answer = connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(8));
        var watch = Stopwatch.StartNew();
        while (!answer.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(8))
        {
            try
            {
                await connection.SendAsync("1\r\nx\r\n");
            }
            catch (System.Net.Sockets.SocketException)
            {
                break;
            }

            await Task.WhenAny(answer, Task.Delay(200));
        }

        RawResponse response = await answer;
        response.Status.Should().Be(408);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4), "6 bytes a second is far below 100 and no read waits 3 s");
    }

    [Fact]
    public async Task Body_arriving_fast_enough_is_served_normally()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("POST / HTTP/1.1\r\n" + H + "Content-Length: 1000\r\n\r\n");
        for (int i = 0; i < 4; i++)
        {
            await connection.SendAsync(new string('z', 250));
            await Task.Delay(100);
        }

        (await connection.ReadResponseAsync()).Status.Should().Be(200);
    }
}
