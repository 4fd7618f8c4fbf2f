using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Reload;

/// <summary>
/// A keep-alive connection that is idle when its worker retires: the client may be sending its
/// next request at that very moment, so the worker never closes it early; the next request is
/// served (with <c>Connection: close</c>), and a connection that stays idle closes, cleanly, at
/// its keep-alive timeout as it would have anyway.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class IdleConnectionRetirementTests
{
    [Fact]
    public async Task Connections_of_a_retiring_worker_close_only_after_a_response_saying_Connection_close()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--keep-alive", "30");
        using RawHttpConnection busy = await RawHttpConnection.OpenAsync(server.Port);
        using RawHttpConnection idle = await RawHttpConnection.OpenAsync(server.Port);
        RawResponse first = await GetAsync(idle, "/");
        first.ClosesConnection.Should().BeFalse();
        (await GetAsync(busy, "/")).BodyText.Should().Be(first.BodyText);

        server.Signal(ProcessSignals.Hup);
        string pid = first.BodyText.Trim()["pid ".Length..];
        await server.WaitForLineAsync(l => l.Contains($"Stopping worker {pid} ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        // Back to back on one connection, as wrk does: each request is answered by the old worker until one says close.
        RawResponse response;
        int requests = 0;
        do
        {
            response = await GetAsync(busy, "/sleep?ms=300");
            response.Status.Should().Be(200);
            response.BodyText.Should().Be(first.BodyText);
            requests++;
        }
        while (!response.ClosesConnection && requests < 100);

        response.ClosesConnection.Should().BeTrue("the old worker is retiring");
        (await busy.IsClosedByServerAsync()).Should().BeTrue();

        // The idle connection, too, is still there for its next request.
        RawResponse next = await GetAsync(idle, "/");
        next.Status.Should().Be(200);
        next.BodyText.Should().Be(first.BodyText, "the connection still belongs to the old worker");
        next.ClosesConnection.Should().BeTrue();
        (await idle.IsClosedByServerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task Connection_that_stays_idle_while_its_worker_retires_closes_cleanly_at_its_keep_alive_timeout()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--keep-alive", "2");
        using RawHttpConnection idle = await RawHttpConnection.OpenAsync(server.Port);
        RawResponse first = await GetAsync(idle, "/");
        var sinceResponse = Stopwatch.StartNew();
        string pid = first.BodyText.Trim()["pid ".Length..];

        server.Signal(ProcessSignals.Hup);
        await server.WaitForLineAsync(l => l.Contains($"Stopping worker {pid} ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        (await idle.IsClosedByServerAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("an idle connection closes at its keep-alive timeout");
        sinceResponse.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.9), "the retiring worker waited the keep-alive timeout for a next request");
        await server.WaitForLineAsync(l => l.Contains($"Worker exiting (pid: {pid}) with exit code 0", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    private static async Task<RawResponse> GetAsync(RawHttpConnection connection, string path)
    {
        await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
    }
}
