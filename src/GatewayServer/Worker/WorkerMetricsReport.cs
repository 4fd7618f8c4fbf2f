using System.Globalization;
using GatewayServer.Control;
using GatewayServer.Gateway;

namespace GatewayServer.Worker;

/// <summary>Turns a worker's <see cref="ServerMetrics"/> into the report it sends its master (once a second: allocation here is fine).</summary>
internal static class WorkerMetricsReport
{
    /// <summary>The <see cref="WorkerMessages.Metrics"/> line.</summary>
    public static string Line(ServerMetrics metrics) => $"{WorkerMessages.Metrics} {Build(metrics).Encode()}";

    public static MetricsReport Build(ServerMetrics metrics)
    {
        var report = new MetricsReport();
        metrics.Durations.ForEach((method, status, buckets, sum) =>
            report.Histograms[SeriesKey.Of(MetricCatalog.RequestDuration.Name, "method", method, "status", Status(status))] = new HistogramCounts(buckets, sum));
        report.Gauges[MetricCatalog.ActiveRequests.Name] = metrics.ActiveRequests;
        report.Gauges[MetricCatalog.ActiveConnections.Name] = metrics.ActiveConnections;
        report.Gauges[MetricCatalog.UpgradedConnections.Name] = metrics.UpgradedConnections;
        report.Counters[MetricCatalog.Connections.Name] = metrics.ConnectionsOpened;
        report.Counters[MetricCatalog.ReceivedBytes.Name] = metrics.ReceivedBytes;
        report.Counters[MetricCatalog.SentBytes.Name] = metrics.SentBytes;
        report.Counters[MetricCatalog.AppExceptions.Name] = metrics.AppExceptions;
        report.Counters[MetricCatalog.LoopMovesToPool.Name] = metrics.LoopMovesToPool;
        metrics.ForEachRejected((status, count) =>
            report.Counters[SeriesKey.Of(MetricCatalog.RejectedRequests.Name, "status", Status(status))] = count);
        return report;
    }

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);
}
