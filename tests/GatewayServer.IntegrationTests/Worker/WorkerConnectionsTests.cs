using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Worker;

/// <summary>--worker-connections: a worker at its cap accepts nothing until a connection closes.</summary>
[Collection(MasterCollection.Name)]
public sealed class WorkerConnectionsTests
{
    [Fact]
    public async Task At_the_cap_the_next_connection_waits_in_the_backlog_until_one_closes_and_the_worker_stays_healthy()
    {
        // A long keep-alive, so that the only connection to close is the one the test closes; a
        // short --timeout, so that a heartbeat stopping at the cap would get the worker replaced.
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(
            SupervisionApps.App, 1, "--worker-connections", "2", "--keep-alive", "60", "--timeout", "2");
        int pid = server.WorkerPids().Single();
        using RawHttpConnection first = await KeepAliveConnectionAsync(server.Port);
        using RawHttpConnection second = await KeepAliveConnectionAsync(server.Port);

        using RawHttpConnection third = await RawHttpConnection.OpenAsync(server.Port);
        await third.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Task<RawResponse> answer = third.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));

        await server.WaitForLineAsync(l => l.Contains("--worker-connections limit", StringComparison.Ordinal));
        // Held past the --timeout: the worker at its cap is not taken for hung.
        (await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(3)))).Should().NotBe(answer, "the third connection is not accepted while two are open");
        await second.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await second.ReadResponseAsync()).Status.Should().Be(200, "the connections it holds are served");

        first.Dispose();

        (await answer).Status.Should().Be(200);
        server.WorkerPids().Should().Equal([pid]);
        server.Output.Should().NotContain("WORKER TIMEOUT");
    }

    private static async Task<RawHttpConnection> KeepAliveConnectionAsync(int port)
    {
        RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(200);
        return connection;
    }
}
