using GatewayServer.Control;
using GatewayServer.Master;
using GatewayServer.Operations;

namespace GatewayServer.Tests.Operations;

public sealed class PrometheusExpositionTests
{
    private static readonly string Duration = SeriesKey.Of(MetricCatalog.RequestDuration.Name, "method", "GET", "status", "200");

    [Fact]
    public void A_histogram_has_cumulative_buckets_ending_in_Inf_a_sum_and_a_count_labelled_by_worker()
    {
        string text = PrometheusExposition.Render(Pool(Worker(7, Report(fast: 2, slow: 1)), retired: new MetricsReport()));

        text.Should().Contain("http_server_request_duration_seconds_bucket{worker=\"7\",method=\"GET\",status=\"200\",le=\"0.005\"} 2\n");
        text.Should().Contain("http_server_request_duration_seconds_bucket{worker=\"7\",method=\"GET\",status=\"200\",le=\"10\"} 2\n");
        text.Should().Contain("http_server_request_duration_seconds_bucket{worker=\"7\",method=\"GET\",status=\"200\",le=\"+Inf\"} 3\n");
        text.Should().Contain("http_server_request_duration_seconds_sum{worker=\"7\",method=\"GET\",status=\"200\"} 30.5\n");
        text.Should().Contain("http_server_request_duration_seconds_count{worker=\"7\",method=\"GET\",status=\"200\"} 3\n");
    }

    [Fact]
    public void Every_family_with_samples_has_one_HELP_and_one_TYPE_line_before_them()
    {
        string text = PrometheusExposition.Render(Pool(Worker(1, Report(1, 0)), retired: Report(4, 0), Worker(2, Report(2, 0))));
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        foreach (MetricFamily family in MetricCatalog.All.Where(f => text.Contains(f.Name + "{", StringComparison.Ordinal) || text.Contains(f.Name + " ", StringComparison.Ordinal)))
        {
            lines.Count(l => l == $"# TYPE {family.Name} {family.Kind.ToString().ToLowerInvariant()}").Should().Be(1, family.Name);
            int type = Array.FindIndex(lines, l => l.StartsWith($"# TYPE {family.Name} ", StringComparison.Ordinal));
            lines[type - 1].Should().StartWith($"# HELP {family.Name} ");
            Array.FindIndex(lines, l => !l.StartsWith('#') && l.StartsWith(family.Name, StringComparison.Ordinal)).Should().BeGreaterThan(type);
        }
    }

    [Fact]
    public void Exited_workers_count_under_the_retired_label_so_the_sum_over_workers_keeps_them()
    {
        string text = PrometheusExposition.Render(Pool(Worker(3, Report(1, 0)), retired: Report(5, 0)));

        text.Should().Contain("http_server_request_duration_seconds_count{worker=\"retired\",method=\"GET\",status=\"200\"} 5\n");
        text.Should().Contain("gwserve_connections_total{worker=\"retired\"} 5\n");
        text.Should().NotContain("http_server_active_requests{worker=\"retired\"}", "gauges are not folded");
    }

    [Fact]
    public void The_master_reports_workers_by_state_restarts_by_reason_and_each_listen_queue()
    {
        PoolSnapshot pool = Pool(Worker(1, null), retired: new MetricsReport()) with
        {
            Restarts = new Dictionary<string, long> { ["crash"] = 2 },
            Reloads = 1,
            ListenQueues = [new ListenQueueSample("tcp://127.0.0.1:8000", 0, 3, 2048)],
        };

        string text = PrometheusExposition.Render(pool);

        text.Should().Contain("gwserve_workers{state=\"ready\"} 1\n").And.Contain("gwserve_workers{state=\"booting\"} 0\n");
        text.Should().Contain("gwserve_worker_restarts_total{reason=\"crash\"} 2\n").And.Contain("gwserve_worker_restarts_total{reason=\"reload\"} 0\n");
        text.Should().Contain("gwserve_reloads_total 1\n");
        text.Should().Contain("gwserve_listen_queue{listener=\"tcp://127.0.0.1:8000\",slot=\"0\"} 3\n");
        text.Should().Contain("gwserve_listen_queue_max{listener=\"tcp://127.0.0.1:8000\",slot=\"0\"} 2048\n");
        text.Should().Contain("gwserve_worker_resident_bytes{worker=\"1\"} 1048576\n");
    }

    [Theory]
    [InlineData("name", "name_x{worker=\"1\"}")]
    [InlineData("name{a=\"b\"}", "name_x{worker=\"1\",a=\"b\"}")]
    public void A_label_goes_first_among_the_key_s_labels(string key, string expected) =>
        PrometheusExposition.WithLabel(key, "_x", "worker", "1").Should().Be(expected);

    private static MetricsReport Report(long fast, long slow)
    {
        var report = new MetricsReport();
        long[] buckets = new long[MetricCatalog.DurationBounds.Length + 1];
        buckets[0] = fast;
        buckets[^1] = slow;
        report.Histograms[Duration] = new HistogramCounts(buckets, (fast * 0.25) + (slow * 30));
        report.Counters[MetricCatalog.Connections.Name] = fast + slow;
        report.Gauges[MetricCatalog.ActiveRequests.Name] = 0;
        return report;
    }

    private static WorkerSnapshot Worker(int id, MetricsReport? metrics) =>
        new(id, 1000 + id, 1, WorkerPhase.Ready, TimeSpan.FromSeconds(5), 0, TimeSpan.Zero, 1 << 20, 1 << 19, metrics);

    private static PoolSnapshot Pool(WorkerSnapshot first, MetricsReport retired, params WorkerSnapshot[] more) =>
        new(1, 1 + more.Length, true, false, [first, .. more], retired, new Dictionary<string, long>(), 0, []);
}
