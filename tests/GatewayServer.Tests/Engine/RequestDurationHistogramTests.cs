using System.Diagnostics;
using System.Text;
using GatewayServer.Control;
using GatewayServer.Engine;

namespace GatewayServer.Tests.Engine;

public sealed class RequestDurationHistogramTests
{
    [Fact]
    public void A_duration_lands_in_the_first_bucket_whose_bound_it_does_not_exceed()
    {
        var histogram = new RequestDurationHistogram(MetricCatalog.DurationBounds);
        ThreadCounts counts = histogram.NewCounts();

        histogram.Record(counts, 0, 200, Ticks(0.001));
        histogram.Record(counts, 0, 200, Ticks(0.005));
        histogram.Record(counts, 0, 200, Ticks(0.3));
        histogram.Record(counts, 0, 200, Ticks(60));

        (string Method, int Status, long[] Buckets, double Sum) series = Single(histogram, counts);
        series.Method.Should().Be("GET");
        series.Status.Should().Be(200);
        series.Buckets[0].Should().Be(2, "0.005 s is not above the 0.005 bound");
        series.Buckets[Array.IndexOf(MetricCatalog.DurationBounds, 0.5)].Should().Be(1);
        series.Buckets[^1].Should().Be(1, "a minute is above every bound");
        series.Sum.Should().BeApproximately(60.306, 1e-3);
    }

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("TRACE", "TRACE")]
    [InlineData("get", "_OTHER")]
    [InlineData("BREW", "_OTHER")]
    public void A_method_OpenTelemetry_does_not_name_is_OTHER(string method, string name) =>
        RequestDurationHistogram.MethodNames[RequestDurationHistogram.MethodIndex(Encoding.ASCII.GetBytes(method))].Should().Be(name);

    [Fact]
    public void Method_and_status_pairs_past_the_bound_are_dropped_not_given_series()
    {
        var histogram = new RequestDurationHistogram(MetricCatalog.DurationBounds);
        ThreadCounts counts = histogram.NewCounts();

        for (int status = 200; status < 200 + RequestDurationHistogram.MaxSeries + 5; status++)
        {
            histogram.Record(counts, 0, status, 1);
        }

        int series = 0;
        histogram.ForEach(counts, (_, _, _, _) => series++);
        series.Should().Be(RequestDurationHistogram.MaxSeries);
        counts.DroppedDurations.Should().Be(5);
    }

    private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    private static (string, int, long[], double) Single(RequestDurationHistogram histogram, ThreadCounts counts)
    {
        var all = new List<(string, int, long[], double)>();
        histogram.ForEach(counts, (method, status, buckets, sum) => all.Add((method, status, buckets, sum)));
        return all.Should().ContainSingle().Subject;
    }
}
