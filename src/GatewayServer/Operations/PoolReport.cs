using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayServer.Control;
using GatewayServer.Master;

namespace GatewayServer.Operations;

/// <summary>What <c>gwserve ctl status</c>, <c>workers</c> and <c>stats</c> print: a table for people, JSON for scripts.</summary>
public static class PoolReport
{
    public static string StatusText(PoolSnapshot pool) =>
        string.Create(CultureInfo.InvariantCulture, $"generation {pool.Generation}, {pool.Workers.Count} workers (target {pool.TargetWorkers}), {(pool.Draining ? "draining" : pool.Ready ? "ready" : "not ready")}\n")
        + WorkersText(pool);

    public static string WorkersText(PoolSnapshot pool)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"PID",-8} {"GEN",4} {"AGE",8} {"STATE",-9} {"REQUESTS",10} {"CONNS",6} {"RSS",10} {"HEARTBEAT",10}\n");
        foreach (WorkerSnapshot worker in pool.Workers)
        {
            string rss = worker.ResidentBytes < 0 ? "-" : (worker.ResidentBytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + "M";
            string connections = worker.Metrics is null ? "-" : worker.Metrics.Value(MetricCatalog.ActiveConnections.Name).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"{worker.Pid,-8} {worker.Generation,4} {Age(worker.Age),8} {Phase(worker.Phase),-9} {worker.Requests,10} {connections,6} {rss,10} {worker.SinceHeartbeat.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s ago",10}\n");
        }

        return text.ToString();
    }

    public static string StatsText(PoolSnapshot pool)
    {
        var text = new StringBuilder();
        foreach ((string name, long value) in Stats(pool))
        {
            text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
        }

        return text.ToString();
    }

    /// <summary>The pool and its workers as one JSON object (<c>status --json</c>, <c>workers --json</c>).</summary>
    public static string StatusJson(PoolSnapshot pool) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("generation", pool.Generation);
        writer.WriteNumber("target_workers", pool.TargetWorkers);
        writer.WriteBoolean("ready", pool.Ready);
        writer.WriteBoolean("draining", pool.Draining);
        writer.WriteStartArray("workers");
        foreach (WorkerSnapshot worker in pool.Workers)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", worker.Id);
            writer.WriteNumber("pid", worker.Pid);
            writer.WriteNumber("generation", worker.Generation);
            writer.WriteNumber("age_seconds", Math.Round(worker.Age.TotalSeconds, 1));
            writer.WriteString("state", Phase(worker.Phase));
            writer.WriteNumber("requests", worker.Requests);
            writer.WriteNumber("open_connections", worker.Metrics?.Value(MetricCatalog.ActiveConnections.Name) ?? 0);
            writer.WriteNumber("rss_bytes", worker.ResidentBytes);
            writer.WriteNumber("pss_bytes", worker.ProportionalBytes);
            writer.WriteNumber("heartbeat_seconds_ago", Math.Round(worker.SinceHeartbeat.TotalSeconds, 1));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static string StatsJson(PoolSnapshot pool) => Json(writer =>
    {
        writer.WriteStartObject();
        foreach ((string name, long value) in Stats(pool))
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteStartObject("restarts");
        foreach ((string reason, long count) in pool.Restarts)
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>The pool's totals: live workers' last reports plus the retired ones.</summary>
    private static List<(string Name, long Value)> Stats(PoolSnapshot pool)
    {
        long Sum(Func<MetricsReport, long> read) => read(pool.Retired) + pool.Workers.Sum(w => w.Metrics is null ? 0 : read(w.Metrics));
        long Rejected(MetricsReport report) => report.Counters.Where(c => MetricCatalog.FamilyOf(c.Key) == MetricCatalog.RejectedRequests).Sum(c => c.Value);
        return
        [
            ("generation", pool.Generation),
            ("workers", pool.Workers.Count),
            ("target_workers", pool.TargetWorkers),
            ("requests", Sum(r => r.HistogramCount(MetricCatalog.RequestDuration))),
            ("active_requests", Sum(r => r.Value(MetricCatalog.ActiveRequests.Name))),
            ("open_connections", Sum(r => r.Value(MetricCatalog.ActiveConnections.Name))),
            ("connections", Sum(r => r.Value(MetricCatalog.Connections.Name))),
            ("rejected_requests", Sum(Rejected)),
            ("app_exceptions", Sum(r => r.Value(MetricCatalog.AppExceptions.Name))),
            ("received_bytes", Sum(r => r.Value(MetricCatalog.ReceivedBytes.Name))),
            ("sent_bytes", Sum(r => r.Value(MetricCatalog.SentBytes.Name))),
            ("worker_restarts", pool.Restarts.Values.Sum()),
            ("reloads", pool.Reloads),
        ];
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Phase(WorkerPhase phase) => phase.ToString().ToLowerInvariant();

    private static string Age(TimeSpan age) => age.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds}s")
        : age.TotalMinutes < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m{age.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h{age.Minutes:00}m");
}
