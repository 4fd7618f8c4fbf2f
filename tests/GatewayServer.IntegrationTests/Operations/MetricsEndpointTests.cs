using System.Net;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Operations;

[Collection(MasterCollection.Name)]
public sealed class MetricsEndpointTests
{
    private const string RequestCount = "http_server_request_duration_seconds_count";

    /// <summary>Worker counters besides the request count that a kill or a reload must not take back.</summary>
    private static readonly string[] PoolCounters = ["gwserve_connections_total", "gwserve_received_bytes_total", "gwserve_sent_bytes_total"];

    [Fact]
    public async Task Livez_and_readyz_answer_200_once_the_workers_are_ready_and_other_paths_404()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1);

        (await ops.GetAsync("/livez")).Status.Should().Be(HttpStatusCode.OK);
        (await OperationsServer.EventuallyAsync(async () => (await ops.GetAsync("/readyz")).Status == HttpStatusCode.OK)).Should().BeTrue();
        (await ops.GetAsync("/")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_exposition_counts_the_requests_made_and_passes_promtool_check_metrics()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(2);
        await ops.RequestAppAsync(9);

        (await OperationsServer.EventuallyAsync(async () => await ops.SumAsync(RequestCount) == 9)).Should().BeTrue(ops.Server.Output);
        string exposition = (await ops.GetAsync("/metrics")).Body;
        string file = Path.Combine(Path.GetTempPath(), $"gwserve-metrics-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, exposition);
        try
        {
            ToolProcess.Result check = await ToolProcess.RunAsync("/bin/sh", ["-c", "promtool check metrics < \"$0\"", file]);
            check.ExitCode.Should().Be(0, "promtool says:\n{0}{1}", check.Output, check.Error);
        }
        finally
        {
            File.Delete(file);
        }

        exposition.Should().Contain("gwserve_workers{state=\"ready\"} 2\n");
        exposition.Should().MatchRegex("gwserve_listen_queue_max\\{listener=\"tcp://127.0.0.1:\\d+\",slot=\"0\"\\} \\d+\n");
        exposition.Should().MatchRegex("gwserve_worker_proportional_bytes\\{worker=\"\\d+\"\\} [1-9]\\d*\n");
        exposition.Should().MatchRegex("gwserve_event_loop_busy_seconds_total\\{worker=\"\\d+\"\\} [0-9.E+-]+\n", "each worker reports its loop's busy time (a coarse clock: a few requests may add up to 0)");
    }

    [Fact]
    public async Task Request_counts_never_go_backwards_when_a_worker_is_killed_with_SIGKILL_or_the_pool_reloads()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(2);
        await ops.RequestAppAsync(12);
        (await OperationsServer.EventuallyAsync(async () => await ops.SumAsync(RequestCount) == 12)).Should().BeTrue(ops.Server.Output);
        string before = (await ops.GetAsync("/metrics")).Body;

        ProcessSignals.Send(ops.Server.WorkerPids()[0], ProcessSignals.Kill);
        await ops.Server.WaitForReadyWorkersAsync(3);
        string afterKill = (await ops.GetAsync("/metrics")).Body;
        OperationsServer.Sum(afterKill, RequestCount).Should().Be(12, "the killed worker's last report is kept as retired");
        afterKill.Should().Contain("worker=\"retired\"").And.Contain("gwserve_worker_restarts_total{reason=\"crash\"} 1\n");
        foreach (string counter in PoolCounters)
        {
            OperationsServer.Sum(afterKill, counter).Should().BeGreaterThanOrEqualTo(OperationsServer.Sum(before, counter), counter);
        }

        ops.Server.Signal(ProcessSignals.Hup);
        await ops.Server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        (await ops.SumAsync(RequestCount)).Should().Be(12, "the replaced generation's counts are kept too");
        string afterReload = (await ops.GetAsync("/metrics")).Body;
        foreach (string counter in PoolCounters)
        {
            OperationsServer.Sum(afterReload, counter).Should().BeGreaterThanOrEqualTo(OperationsServer.Sum(afterKill, counter), counter);
        }
        await ops.RequestAppAsync(3);
        (await OperationsServer.EventuallyAsync(async () => await ops.SumAsync(RequestCount) == 15)).Should().BeTrue(ops.Server.Output);
        (await OperationsServer.EventuallyAsync(async () => (await ops.GetAsync("/metrics")).Body.Contains("gwserve_worker_restarts_total{reason=\"reload\"} 2\n", StringComparison.Ordinal)))
            .Should().BeTrue("both workers of generation 1 were replaced by the reload");
        (await ops.GetAsync("/metrics")).Body.Should().Contain("gwserve_reloads_total 1\n");
    }

    [Fact]
    public async Task Readyz_answers_503_from_SIGTERM_through_the_shutdown_delay_while_the_app_still_serves()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1, "--shutdown-delay", "4");
        (await OperationsServer.EventuallyAsync(async () => (await ops.GetAsync("/readyz")).Status == HttpStatusCode.OK)).Should().BeTrue();

        ops.Server.Signal(ProcessSignals.Term);
        (await OperationsServer.EventuallyAsync(async () => (await ops.GetAsync("/readyz")).Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(3)))
            .Should().BeTrue("readyz turns as soon as the master handles TERM");
        (await ops.GetAsync("/livez")).Status.Should().Be(HttpStatusCode.OK, "the master is alive, only not ready");
        await ops.RequestAppAsync(1);
        ops.Server.Output.Should().NotContain("Shutdown delay over", "the listener must still be open when readyz turns");
        (await ops.Server.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0);
    }
}
