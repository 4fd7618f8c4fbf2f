using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class AppErrorTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task App_exception_is_a_500_without_details_and_a_log_line_and_the_same_worker_serves_on()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1);
        string workerPid = await PidAsync(server.Port);

        using (RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port))
        {
            await connection.SendAsync("GET /raise HTTP/1.1\r\nHost: h\r\n\r\n");
            RawResponse response = await connection.ReadResponseAsync();

            response.StatusLine.Should().Be("HTTP/1.1 500 Internal Server Error");
            response.BodyText.Should().NotContain("secret").And.NotContain("InvalidOperationException").And.NotContain(" at ");
        }

        string logged = await server.WaitForLineAsync(l => l.Contains("Error handling request GET /raise", StringComparison.Ordinal));
        logged.Should().Contain("[ERROR]").And.Contain($"[{workerPid}]");
        server.Output.Should().Contain("secret-detail-that-must-not-leak", "the details belong in the error log");

        (await PidAsync(server.Port)).Should().Be(workerPid, "the worker lives on");
        server.WorkerPids().Should().Equal(int.Parse(workerPid, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task App_exception_after_the_headers_were_sent_closes_the_connection_without_finishing_the_body()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1);
        string workerPid = await PidAsync(server.Port);

        using (RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port))
        {
            await connection.SendAsync("GET /raise-midway HTTP/1.1\r\nHost: h\r\n\r\n");
            byte[] wire = await connection.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            string text = System.Text.Encoding.ASCII.GetString(wire);

            text.Should().StartWith("HTTP/1.1 200 OK\r\n");
            text.Should().NotContain("\r\n0\r\n\r\n", "a body cut short must not look complete to the client");
            text.Should().NotContain("secret");
        }

        await server.WaitForLineAsync(l => l.Contains("/raise-midway", StringComparison.Ordinal) && l.Contains("[ERROR]", StringComparison.Ordinal));
        (await PidAsync(server.Port)).Should().Be(workerPid, "the worker lives on");
    }

    [Fact]
    public async Task An_async_app_cannot_replace_the_response_once_its_first_chunk_is_out()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(RepositoryLayout.Fixture("TestApps") + ":AsyncBehaviours", 1);

        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /replace-after-first-chunk HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] wire = await connection.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        string text = System.Text.Encoding.ASCII.GetString(wire);

        text.Should().StartWith("HTTP/1.1 200 OK\r\n", "the head was settled when the first chunk came");
        text.Should().Contain("\r\n5\r\nfirst\r\n");
        text.Should().NotContain("replaced");
        text.Should().NotContain("\r\n0\r\n\r\n", "a body cut short must not look complete to the client");
        await server.WaitForLineAsync(l => l.Contains("/replace-after-first-chunk", StringComparison.Ordinal) && l.Contains("[ERROR]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blocking_sync_request_does_not_stall_other_connections_of_the_same_worker()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1);
        using RawHttpConnection slow = await RawHttpConnection.OpenAsync(server.Port);
        await slow.SendAsync("GET /sleep?ms=5000 HTTP/1.1\r\nHost: h\r\n\r\n");
        await server.WaitForLineAsync(l => l.Contains("sleeping 5000 ms", StringComparison.Ordinal));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task<string>[] others = [.. Enumerable.Range(0, 8).Select(_ => PidAsync(server.Port))];
        string[] pids = await Task.WhenAll(others);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "other connections are served while one request blocks its thread");
        pids.Should().OnlyContain(p => p == pids[0]);
        (await slow.ReadResponseAsync()).BodyText.Should().Be("slept 5000 ms");
    }

    private static async Task<string> PidAsync(int port)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync("GET /pid HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();
        response.Status.Should().Be(200);
        return response.BodyText;
    }
}
