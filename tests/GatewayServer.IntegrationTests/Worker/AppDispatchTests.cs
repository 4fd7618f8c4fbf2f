using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Worker;

/// <summary>
/// Where requests run (--app-dispatch), shown with one worker and apps that block. The request
/// that blocks follows one already answered on its connection, which by then waits on the event
/// loop for its next request.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class AppDispatchTests
{
    private const string MovedToPool = "requests run on the thread pool from now on";

    [Fact]
    public async Task A_request_that_blocks_the_event_loop_moves_the_worker_to_the_pool_and_other_requests_are_served_meanwhile()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1);
        using RawHttpConnection blocking = await KeepAliveConnectionAsync(server.Port);
        await blocking.SendAsync("GET /sleep?ms=20000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Task<RawResponse> slow = blocking.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));

        string warning = await server.WaitForLineAsync(l => l.Contains(MovedToPool, StringComparison.Ordinal));

        warning.Should().Contain("[WARNING]").And.Contain("blocked the event loop").And.Contain("--app-dispatch pool");
        for (int i = 0; i < 3; i++)
        {
            (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
        }

        slow.IsCompleted.Should().BeFalse("the blocking request is still asleep on the old loop thread");
    }

    [Fact]
    public async Task Requests_that_each_block_briefly_move_the_worker_to_the_pool_once_they_add_up()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1);
        using RawHttpConnection connection = await KeepAliveConnectionAsync(server.Port);
        Task<string> warning = server.WaitForLineAsync(l => l.Contains(MovedToPool, StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // 25 ms each: under the watchdog's limit, so (on a machine not too busy) it is the loop's own
        // count of waiting that moves it; either way the loop must end up on the pool.
        int sent = 0;
        while (!warning.IsCompleted && sent < 40)
        {
            await connection.SendAsync("GET /sleep?ms=25 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            (await connection.ReadResponseAsync()).Status.Should().Be(200);
            sent++;
        }

        (await warning).Should().Contain("blocked the event loop");
        (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
    }

    [Fact]
    public async Task With_app_dispatch_loop_a_request_that_never_returns_stops_the_heartbeat_and_the_worker_is_replaced()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--app-dispatch", "loop", "--timeout", "2");
        int pid = server.WorkerPids().Single();
        using RawHttpConnection spinning = await KeepAliveConnectionAsync(server.Port);
        await spinning.SendAsync("GET /spin HTTP/1.1\r\nHost: localhost\r\n\r\n");

        await server.WaitForLineAsync(l => l.Contains($"WORKER TIMEOUT (pid: {pid})", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        await server.WaitForLineAsync(l => l.Contains($"Worker exiting (pid: {pid}) after WORKER TIMEOUT", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);

        (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
        server.Output.Should().NotContain(MovedToPool, "a loop the user asked for is never moved");
    }

    [Fact]
    public async Task With_app_dispatch_pool_a_blocking_request_holds_up_no_other()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--app-dispatch", "pool");
        using RawHttpConnection blocking = await KeepAliveConnectionAsync(server.Port);
        await blocking.SendAsync("GET /sleep?ms=20000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Task<RawResponse> slow = blocking.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));

        for (int i = 0; i < 3; i++)
        {
            (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
        }

        slow.IsCompleted.Should().BeFalse();
        server.Output.Should().NotContain(MovedToPool);
    }

    /// <summary>A connection that has carried one request and now waits on the event loop for the next.</summary>
    private static async Task<RawHttpConnection> KeepAliveConnectionAsync(int port)
    {
        RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(200);
        return connection;
    }
}
