using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed partial class RecyclingTests
{
    [Fact]
    public async Task Max_requests_50_with_jitter_10_recycles_each_worker_after_50_to_60_requests_without_a_failed_request()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.Hello, 2, "--max-requests", "50", "--max-requests-jitter", "10");
        var client = new LoadClient(server.Port);
        using var stop = new CancellationTokenSource();
        Task load = client.RunAsync(keepAliveLoops: 2, freshConnectionLoops: 2, stop.Token);

        int recycled = 0;
        await server.WaitForLineAsync(l => Recycled().IsMatch(l) && ++recycled >= 6, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await load;

        client.Failures.Should().BeEmpty();
        int[] counts = [.. server.Lines.Select(l => Recycled().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        counts.Should().HaveCountGreaterThanOrEqualTo(6).And.OnlyContain(n => n >= 50 && n <= 60);
        counts.Distinct().Should().HaveCountGreaterThan(1, "the jitter spreads the thresholds");
        (await Eventually.TrueAsync(() => server.WorkerPids().Count == 2)).Should().BeTrue(server.Output);
    }

    [Fact]
    public async Task Worker_over_max_worker_memory_is_replaced_once_its_replacement_is_ready()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--max-worker-memory", "150");
        int pid = server.WorkerPids().Single();

        (await SupervisionApps.GetAsync(server.Port, "/allocate?mb=200")).Status.Should().Be(200);

        await server.WaitForLineAsync(l => l.Contains($"Worker {pid} uses", StringComparison.Ordinal) && l.Contains("over --max-worker-memory 150", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);
        await server.WaitForLineAsync(l => l.Contains($"Worker exiting (pid: {pid})", StringComparison.Ordinal));
        (await SupervisionApps.GetAsync(server.Port, "/")).BodyText.Should().NotBe($"pid {pid}\n");
    }

    [GeneratedRegex(@"Recycling worker \d+ \(max-requests after (\d+) requests\)")]
    private static partial Regex Recycled();
}
