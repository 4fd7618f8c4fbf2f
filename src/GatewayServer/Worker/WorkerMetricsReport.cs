using System.Globalization;
using GatewayServer.Control;
using GatewayServer.Engine;

namespace GatewayServer.Worker;

/// <summary>Turns a worker's <see cref="ServerMetrics"/> into the report it sends its master (once a second: allocation here is fine).</summary>
internal static class WorkerMetricsReport
{
    /// <summary>The <see cref="WorkerMessages.Metrics"/> line.</summary>
    public static string Line(ServerMetrics metrics) => $"{WorkerMessages.Metrics} {Build(metrics).Encode()}";

    public static MetricsReport Build(ServerMetrics metrics)
    {
        var report = new MetricsReport();
        ThreadCounts totals = metrics.Totals();
        metrics.Durations.ForEach(totals, (method, status, buckets, sum) =>
            report.Histograms[SeriesKey.Of(MetricCatalog.RequestDuration.Name, "method", method, "status", Status(status))] = new HistogramCounts(buckets, sum));
        report.Gauges[MetricCatalog.ActiveRequests.Name] = totals.RequestsStarted - totals.RequestsEnded;
        report.Gauges[MetricCatalog.ActiveConnections.Name] = totals.ConnectionsOpened - totals.ConnectionsClosed;
        report.Gauges[MetricCatalog.UpgradedConnections.Name] = metrics.UpgradedConnections;
        report.Counters[MetricCatalog.Connections.Name] = totals.ConnectionsOpened;
        report.Counters[MetricCatalog.ReceivedBytes.Name] = totals.ReceivedBytes;
        report.Counters[MetricCatalog.SentBytes.Name] = totals.SentBytes;
        report.Counters[MetricCatalog.AppExceptions.Name] = totals.AppExceptions;
        report.Counters[MetricCatalog.LoopMovesToPool.Name] = metrics.LoopMovesToPool;
        report.Counters[MetricCatalog.LoopBusyTime.Name] = (long)((metrics.LoopBusySeconds?.Invoke() ?? 0) * MetricCatalog.LoopBusyTime.WireUnitsPerUnit);
        ServerMetrics.ForEachRejected(totals, (status, count) =>
            report.Counters[SeriesKey.Of(MetricCatalog.RejectedRequests.Name, "status", Status(status))] = count);
        return report;
    }

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);
}
