using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Worker;

/// <summary>
/// The timeout sweep runs on a thread of its own: timeouts fire even while every thread of the
/// worker's pool is blocked in the application.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class TimeoutSweepTests
{
    [Fact]
    public async Task Request_timeout_answers_504_even_while_every_pool_thread_is_blocked()
    {
        // --threads is raised to the number of cores: that many requests fill the pool.
        int threads = Math.Max(2, Environment.ProcessorCount);
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(
            SupervisionApps.App, 1, "--app-dispatch", "pool", "--threads", "2", "--request-timeout", "1");

        var watch = Stopwatch.StartNew();
        Task<RawResponse>[] sleepers = [.. Enumerable.Range(0, threads).Select(_ => SupervisionApps.GetAsync(server.Port, "/sleep?ms=30000", TimeSpan.FromSeconds(25)))];
        RawResponse[] responses = await Task.WhenAll(sleepers);

        responses.Select(r => r.Status).Should().AllBeEquivalentTo(504);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(6), "the 1 s request timeout fires within a sweep or two, not when a thread comes free");
    }
}
