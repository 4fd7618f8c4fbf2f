using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Operations;

[Collection(MasterCollection.Name)]
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task A_real_Prometheus_scrapes_the_requests_made_labelled_by_worker()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(2);
        using PrometheusProcess prometheus = await PrometheusProcess.StartAsync(ops.MetricsPort);
        await ops.RequestAppAsync(7);

        bool counted = await OperationsServer.EventuallyAsync(async () =>
            (await prometheus.QueryAsync("sum(http_server_request_duration_seconds_count{job=\"gwserve\"})")) is [var total] && total.Value == 7,
            TimeSpan.FromSeconds(40));

        counted.Should().BeTrue("Prometheus should see the 7 requests the test made");
        IReadOnlyList<(Dictionary<string, string> Labels, double Value)> series =
            await prometheus.QueryAsync("http_server_request_duration_seconds_count{job=\"gwserve\"}");
        series.Should().NotBeEmpty();
        series.Should().OnlyContain(s => s.Labels.ContainsKey("worker") && s.Labels["method"] == "GET" && s.Labels["status"] == "200");
        series.Select(s => s.Labels["worker"]).Should().OnlyHaveUniqueItems();
        (await prometheus.QueryAsync("up{job=\"gwserve\"}")).Should().ContainSingle().Which.Value.Should().Be(1);
    }
}
