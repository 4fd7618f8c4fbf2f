using GatewayServer.Control;

namespace GatewayServer.Tests.Control;

public sealed class MetricsReportTests
{
    private static readonly string Duration = SeriesKey.Of(MetricCatalog.RequestDuration.Name, "method", "GET", "status", "200");

    [Fact]
    public void A_report_reads_back_what_it_wrote()
    {
        MetricsReport report = Sample(requests: 3, connections: 5, active: 2);

        MetricsReport read = MetricsReport.Parse(report.Encode());

        read.Counters.Should().BeEquivalentTo(report.Counters);
        read.Gauges.Should().BeEquivalentTo(report.Gauges);
        read.Histograms[Duration].Buckets.Should().Equal(report.Histograms[Duration].Buckets);
        read.Histograms[Duration].Sum.Should().Be(report.Histograms[Duration].Sum);
        read.HistogramCount(MetricCatalog.RequestDuration).Should().Be(3);
    }

    [Theory]
    [InlineData("c:gwserve_unknown_total=5")]
    [InlineData("g:gwserve_connections_total=5")]
    [InlineData("c:gwserve_connections_total=-5")]
    [InlineData("c:gwserve_connections_total=five")]
    [InlineData("c:gwserve_requests_rejected_total{status=\"400\" } =1")]
    [InlineData("c:gwserve_requests_rejected_total{status=\"4\\\"00\"}=1")]
    [InlineData("c:gwserve_requests_rejected_total{status=400}=1")]
    [InlineData("h:http_server_request_duration_seconds{method=\"GET\"}=0.5:1/2/3")]
    [InlineData("h:http_server_request_duration_seconds{method=\"GET\"}=NaN:0/0/0/0/0/0/0/0/0/0/0/0/0/0/1")]
    [InlineData("c:gwserve_workers{state=\"ready\"}=1")]
    [InlineData("x:gwserve_connections_total=1")]
    public void An_entry_that_is_malformed_undeclared_or_of_the_wrong_type_is_skipped(string entry)
    {
        MetricsReport read = MetricsReport.Parse($"{entry} c:gwserve_app_exceptions_total=7");

        read.SeriesCount.Should().Be(1, "only the well-formed entry is kept");
        read.Value(MetricCatalog.AppExceptions.Name).Should().Be(7);
    }

    [Fact]
    public void A_report_holds_no_more_than_its_bound_whatever_is_sent()
    {
        string text = string.Join(' ', Enumerable.Range(400, 1000).Select(s => $"c:gwserve_requests_rejected_total{{status=\"{s}\"}}=1"));

        MetricsReport.Parse(text).SeriesCount.Should().Be(MetricsReport.MaxSeries);
    }

    [Fact]
    public void Folding_adds_counters_and_histograms_but_not_gauges()
    {
        var retired = new MetricsReport();

        retired.AddCumulative(Sample(requests: 3, connections: 5, active: 2));
        retired.AddCumulative(Sample(requests: 4, connections: 1, active: 9));

        retired.Value(MetricCatalog.Connections.Name).Should().Be(6);
        retired.HistogramCount(MetricCatalog.RequestDuration).Should().Be(7);
        retired.Histograms[Duration].Sum.Should().BeApproximately(0.7, 1e-9);
        retired.Gauges.Should().BeEmpty("an exited worker has no requests in progress");
    }

    [Fact]
    public void A_clone_does_not_change_when_the_original_does()
    {
        MetricsReport original = Sample(requests: 3, connections: 5, active: 2);
        MetricsReport copy = original.Clone();

        original.AddCumulative(Sample(requests: 1, connections: 1, active: 0));

        copy.HistogramCount(MetricCatalog.RequestDuration).Should().Be(3);
        copy.Value(MetricCatalog.Connections.Name).Should().Be(5);
        copy.Value(MetricCatalog.ActiveRequests.Name).Should().Be(2);
    }

    [Theory]
    [InlineData("gwserve_connections_total", true)]
    [InlineData("http_server_request_duration_seconds{method=\"GET\",status=\"200\"}", true)]
    [InlineData("name{}", true)]
    [InlineData("9name", false)]
    [InlineData("name{a=\"b\"", false)]
    [InlineData("name{a=\"b\",}", false)]
    [InlineData("name{a=\"b c\"}", false)]
    [InlineData("name{a=\"b\\\\\"}", false)]
    public void A_series_key_is_valid_only_in_the_restricted_Prometheus_syntax(string key, bool valid) =>
        SeriesKey.IsValid(key).Should().Be(valid);

    private static MetricsReport Sample(long requests, long connections, long active)
    {
        var report = new MetricsReport();
        long[] buckets = new long[MetricCatalog.DurationBounds.Length + 1];
        buckets[0] = requests;
        report.Histograms[Duration] = new HistogramCounts(buckets, requests * 0.1);
        report.Counters[MetricCatalog.Connections.Name] = connections;
        report.Counters[SeriesKey.Of(MetricCatalog.RejectedRequests.Name, "status", "400")] = 1;
        report.Gauges[MetricCatalog.ActiveRequests.Name] = active;
        return report;
    }
}
