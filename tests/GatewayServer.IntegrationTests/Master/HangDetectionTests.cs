using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed class HangDetectionTests
{
    [Fact]
    public async Task Worker_whose_threads_are_all_stuck_is_killed_after_the_timeout_and_replaced_while_the_other_keeps_serving()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 2, "--timeout", "2", "--threads", "2");
        Dictionary<int, RawHttpConnection> byWorker = await KeepAliveConnectionPerWorkerAsync(server);
        try
        {
            (int stuck, RawHttpConnection wedged) = byWorker.First();
            (int healthy, RawHttpConnection other) = byWorker.Last();
            await wedged.SendAsync("GET /wedge HTTP/1.1\r\nHost: localhost\r\n\r\n");

            Task<string> timeout = server.WaitForLineAsync(l => l.Contains($"WORKER TIMEOUT (pid: {stuck})", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            int served = 0;
            while (!timeout.IsCompleted)
            {
                await other.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                (await other.ReadResponseAsync()).BodyText.Should().Be($"pid {healthy}\n");
                served++;
                await Task.Delay(20);
            }

            await timeout;
            served.Should().BeGreaterThan(10);
            await server.WaitForLineAsync(l => l.Contains($"Worker exiting (pid: {stuck}) after WORKER TIMEOUT", StringComparison.Ordinal));
            await server.WaitForReadyWorkersAsync(3);
            (await Eventually.TrueAsync(() => server.WorkerPids().Count == 2 && !server.WorkerPids().Contains(stuck))).Should().BeTrue(server.Output);
        }
        finally
        {
            foreach (RawHttpConnection connection in byWorker.Values)
            {
                connection.Dispose();
            }
        }
    }

    [Fact]
    public async Task One_request_spinning_forever_does_not_trip_hang_detection_while_other_threads_serve()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--timeout", "2", "--threads", "4");
        using RawHttpConnection spinning = await RawHttpConnection.OpenAsync(server.Port);
        await spinning.SendAsync("GET /spin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        int pid = server.WorkerPids().Single();

        // Three timeouts' worth of heartbeats.
        for (int i = 0; i < 30; i++)
        {
            (await SupervisionApps.GetAsync(server.Port, "/")).BodyText.Should().Be($"pid {pid}\n");
            await Task.Delay(200);
        }

        server.Output.Should().NotContain("WORKER TIMEOUT");
    }

    /// <summary>Opens keep-alive connections until two of them are served by different workers.</summary>
    internal static async Task<Dictionary<int, RawHttpConnection>> KeepAliveConnectionPerWorkerAsync(GwserveProcess server)
    {
        var byWorker = new Dictionary<int, RawHttpConnection>();
        for (int attempt = 0; attempt < 40 && byWorker.Count < 2; attempt++)
        {
            RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
            await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            int pid = int.Parse((await connection.ReadResponseAsync()).BodyText.Trim()[4..], System.Globalization.CultureInfo.InvariantCulture);
            if (!byWorker.TryAdd(pid, connection))
            {
                connection.Dispose();
            }
        }

        byWorker.Should().HaveCount(2);
        return byWorker;
    }
}
