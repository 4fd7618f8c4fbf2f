using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed class StopTests
{
    [Fact]
    public async Task TERM_with_20_slow_requests_in_flight_completes_all_of_them_and_exits_0()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 2);
        var connections = new List<RawHttpConnection>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
                connections.Add(connection);
                await connection.SendAsync("GET /sleep?ms=3000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            }

            // The requests are inside the app (they sleep 3 s) before the signal.
            server.Signal(28);
            await server.WaitForLineAsync(l => l.Contains("Pool status", StringComparison.Ordinal));
            await Task.Delay(1000);
            server.Signal(ProcessSignals.Term);

            RawResponse[] responses = await Task.WhenAll(connections.Select(c => c.ReadResponseAsync()));
            responses.Should().OnlyContain(r => r.Status == 200);
            (await server.WaitForExitAsync()).Should().Be(0);
        }
        finally
        {
            foreach (RawHttpConnection connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    [Fact]
    public async Task Request_past_the_request_timeout_is_answered_504_and_its_worker_recycled()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--request-timeout", "1", "--graceful-timeout", "2");
        int pid = server.WorkerPids().Single();

        RawResponse response = await SupervisionApps.GetAsync(server.Port, "/sleep?ms=60000", TimeSpan.FromSeconds(10));

        response.Status.Should().Be(504);
        response.ClosesConnection.Should().BeTrue();
        await server.WaitForLineAsync(l => l.Contains("Request timeout: GET /sleep?ms=60000", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Recycling worker {pid} (request-timeout", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);
        (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
    }
}
