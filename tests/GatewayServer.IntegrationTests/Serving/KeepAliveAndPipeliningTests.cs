using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class KeepAliveAndPipeliningTests
{
    private static readonly string Target = RepositoryLayout.Sample("EchoApp") + ":App";

    [Fact]
    public async Task Hundred_echo_requests_on_one_keep_alive_connection_are_answered_in_order()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        for (int i = 0; i < 100; i++)
        {
            // Every third request carries a body, so body framing is exercised between keep-alive requests too.
            string body = i % 3 == 0 ? $"body-{i}" : string.Empty;
            string framing = body.Length > 0 ? $"Content-Length: {body.Length}\r\n" : string.Empty;
            await connection.SendAsync($"POST /req/{i} HTTP/1.1\r\nHost: h\r\n{framing}\r\n{body}");
            RawResponse response = await connection.ReadResponseAsync();

            response.Status.Should().Be(200);
            response.ClosesConnection.Should().BeFalse();
            EchoedRequest echo = EchoedRequest.Parse(response);
            echo.Target.Should().Be($"/req/{i}");
            Encoding.ASCII.GetString(echo.Body).Should().Be(body);
        }
    }

    [Fact]
    public async Task Ten_pipelined_requests_in_one_write_are_answered_in_order()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Target);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        var batch = new StringBuilder();
        for (int i = 0; i < 10; i++)
        {
            batch.Append(i % 2 == 0
                ? $"GET /pipelined/{i} HTTP/1.1\r\nHost: h\r\n\r\n"
                : $"POST /pipelined/{i} HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nb{i:D2}");
        }

        await connection.SendAsync(batch.ToString());

        for (int i = 0; i < 10; i++)
        {
            RawResponse response = await connection.ReadResponseAsync();
            response.Status.Should().Be(200);
            EchoedRequest echo = EchoedRequest.Parse(response);
            echo.Target.Should().Be($"/pipelined/{i}");
            Encoding.ASCII.GetString(echo.Body).Should().Be(i % 2 == 0 ? string.Empty : $"b{i:D2}");
        }
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("loop")]
    [InlineData("pool")]
    public async Task Pipelined_requests_far_larger_than_the_receive_buffer_are_all_answered(string dispatch)
    {
        // 300 requests of about 60 bytes: 18 KB in one write, several times the 4 KiB first
        // buffer. The event loop learns of bytes by edge: those one receive leaves behind must still be read.
        using GwserveProcess server = await GwserveProcess.StartAsync(Target, "--app-dispatch", dispatch);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        var batch = new StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            batch.Append($"GET /burst/{i:D3} HTTP/1.1\r\nHost: h\r\nX-Pad: {new string('p', 16)}\r\n\r\n");
        }

        await connection.SendAsync(batch.ToString());

        for (int i = 0; i < 300; i++)
        {
            RawResponse response = await connection.ReadResponseAsync();
            EchoedRequest.Parse(response).Target.Should().Be($"/burst/{i:D3}");
        }
    }

    [Fact]
    public async Task Two_thousand_short_connections_from_32_clients_at_once_are_all_answered()
    {
        // Each connection is handed from the accept thread to the event loop; none may be lost on the way.
        using GwserveProcess server = await GwserveProcess.StartAsync(Target, "--workers", "2");

        int[] answered = await Task.WhenAll(Enumerable.Range(0, 32).Select(async client =>
        {
            int count = 0;
            for (int i = 0; i < 2000 / 32; i++)
            {
                using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
                await connection.SendAsync($"GET /short/{client}/{i} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
                RawResponse response = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
                EchoedRequest.Parse(response).Target.Should().Be($"/short/{client}/{i}");
                count++;
            }

            return count;
        }));

        answered.Sum().Should().Be(32 * (2000 / 32));
    }
}
