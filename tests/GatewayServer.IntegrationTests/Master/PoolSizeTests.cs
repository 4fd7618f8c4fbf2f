using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed class PoolSizeTests
{
    [Fact]
    public async Task TTIN_adds_a_worker_and_TTOU_removes_one_but_never_the_last()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.Hello, 2);

        server.Signal(ProcessSignals.Ttin);
        await server.WaitForReadyWorkersAsync(3);
        (await Eventually.TrueAsync(() => server.WorkerPids().Count == 3)).Should().BeTrue(server.Output);

        // One at a time: identical signals still pending in the kernel coalesce into one.
        for (int sent = 1; sent <= 3; sent++)
        {
            server.Signal(ProcessSignals.Ttou);
            (await Eventually.TrueAsync(() => server.Lines.Count(l => l.Contains("Handling signal: ttou", StringComparison.Ordinal)) == sent)).Should().BeTrue(server.Output);
        }

        server.Lines.Count(l => l.Contains("Workers: 1 (never fewer than 1)", StringComparison.Ordinal)).Should().Be(2);

        (await Eventually.TrueAsync(() => server.WorkerPids().Count == 1)).Should().BeTrue(server.Output);
        (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
    }

    [Fact]
    public async Task WINCH_writes_a_status_line_per_worker()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.Hello, 2);
        (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);

        server.Signal(28);

        await server.WaitForLineAsync(l => l.Contains("Pool status: generation 1, 2 workers", StringComparison.Ordinal));
        foreach (int pid in server.WorkerPids())
        {
            string line = await server.WaitForLineAsync(l => l.Contains($"Worker status (pid: {pid})", StringComparison.Ordinal));
            line.Should().MatchRegex(@"requests \d+, current request \d+\.\ds, rss \d+\.\d MiB");
        }
    }
}
