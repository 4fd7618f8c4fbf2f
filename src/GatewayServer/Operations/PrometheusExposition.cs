using System.Globalization;
using System.Text;
using GatewayServer.Control;
using GatewayServer.Master;

namespace GatewayServer.Operations;

/// <summary>
/// Writes a <see cref="PoolSnapshot"/> as Prometheus text exposition (format 0.0.4): each family of
/// <see cref="MetricCatalog"/> with its HELP and TYPE; the workers' series with a <c>worker</c>
/// label (their number), plus <c>worker="retired"</c> for what exited workers had counted, so that
/// a sum over workers never goes backwards when one dies.
/// </summary>
public static class PrometheusExposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The <c>worker</c> label of the totals of workers that have exited.</summary>
    public const string RetiredWorker = "retired";

    private static readonly string[] KnownRestartReasons = ["crash", "timeout", "max-requests", "request-timeout", "memory", "reload", "boot-failure"];

    public static string Render(PoolSnapshot pool)
    {
        var text = new StringBuilder();
        foreach (MetricFamily family in MetricCatalog.All)
        {
            var samples = new StringBuilder();
            if (family.PerWorker)
            {
                foreach (WorkerSnapshot worker in pool.Workers)
                {
                    if (worker.Metrics is { } metrics)
                    {
                        WriteReported(samples, family, metrics, worker.Id.ToString(CultureInfo.InvariantCulture));
                    }
                }

                if (family.Kind != MetricKind.Gauge)
                {
                    WriteReported(samples, family, pool.Retired, RetiredWorker);
                }
            }
            else
            {
                WriteMaster(samples, family, pool);
            }

            if (samples.Length > 0)
            {
                text.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help).Append('\n');
                text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Kind)).Append('\n');
                text.Append(samples);
            }
        }

        return text.ToString();
    }

    /// <summary><paramref name="key"/> with <paramref name="label"/>="<paramref name="value"/>" put first among its labels.</summary>
    public static string WithLabel(string key, string suffix, string label, string value)
    {
        int brace = key.IndexOf('{', StringComparison.Ordinal);
        string name = brace < 0 ? key : key[..brace];
        string rest = brace < 0 ? "}" : "," + key[(brace + 1)..];
        return $"{name}{suffix}{{{label}=\"{value}\"{rest}";
    }

    private static void WriteReported(StringBuilder samples, MetricFamily family, MetricsReport metrics, string worker)
    {
        if (family.Kind == MetricKind.Histogram)
        {
            foreach ((string key, HistogramCounts histogram) in metrics.Histograms)
            {
                if (MetricCatalog.FamilyOf(key) == family)
                {
                    WriteHistogram(samples, WithLabel(key, string.Empty, "worker", worker), histogram);
                }
            }

            return;
        }

        foreach ((string key, long value) in family.Kind == MetricKind.Counter ? metrics.Counters : metrics.Gauges)
        {
            if (MetricCatalog.FamilyOf(key) == family)
            {
                string series = WithLabel(key, string.Empty, "worker", worker);
                if (family.WireUnitsPerUnit == 1)
                {
                    Sample(samples, series, value);
                }
                else
                {
                    samples.Append(series).Append(' ').Append(((double)value / family.WireUnitsPerUnit).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }
    }

    private static void WriteHistogram(StringBuilder samples, string key, HistogramCounts histogram)
    {
        // key is name{worker="1",...}: each sample is name_suffix{worker="1",...[,le="..."]}.
        int brace = key.IndexOf('{', StringComparison.Ordinal);
        string name = key[..brace];
        string labels = key[(brace + 1)..^1];
        long cumulative = 0;
        for (int i = 0; i < histogram.Buckets.Length; i++)
        {
            cumulative += histogram.Buckets[i];
            string bound = i < MetricCatalog.DurationBounds.Length ? MetricCatalog.DurationBounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            samples.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}\n");
        }

        samples.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {histogram.Sum.ToString("R", CultureInfo.InvariantCulture)}\n");
        samples.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {cumulative}\n");
    }

    private static void WriteMaster(StringBuilder samples, MetricFamily family, PoolSnapshot pool)
    {
        if (family == MetricCatalog.Workers)
        {
            foreach (WorkerPhase phase in Enum.GetValues<WorkerPhase>())
            {
                int count = pool.Workers.Count(w => w.Phase == phase);
                Sample(samples, SeriesKey.Of(family.Name, "state", phase.ToString().ToLowerInvariant()), count);
            }
        }
        else if (family == MetricCatalog.WorkerRestarts)
        {
            foreach (string reason in KnownRestartReasons.Union(pool.Restarts.Keys.Order(StringComparer.Ordinal)))
            {
                Sample(samples, SeriesKey.Of(family.Name, "reason", reason), pool.Restarts.GetValueOrDefault(reason));
            }
        }
        else if (family == MetricCatalog.Reloads)
        {
            Sample(samples, family.Name, pool.Reloads);
        }
        else if (family == MetricCatalog.ListenQueue || family == MetricCatalog.ListenQueueMax)
        {
            foreach (ListenQueueSample queue in pool.ListenQueues)
            {
                string key = SeriesKey.Of(family.Name, "listener", queue.Listener, "slot", queue.Slot.ToString(CultureInfo.InvariantCulture));
                Sample(samples, key, family == MetricCatalog.ListenQueue ? queue.Queued : queue.Limit);
            }
        }
        else if (family == MetricCatalog.WorkerResidentBytes || family == MetricCatalog.WorkerProportionalBytes)
        {
            foreach (WorkerSnapshot worker in pool.Workers)
            {
                long bytes = family == MetricCatalog.WorkerResidentBytes ? worker.ResidentBytes : worker.ProportionalBytes;
                if (bytes >= 0)
                {
                    Sample(samples, SeriesKey.Of(family.Name, "worker", worker.Id.ToString(CultureInfo.InvariantCulture)), bytes);
                }
            }
        }
    }

    private static void Sample(StringBuilder samples, string key, long value) =>
        samples.Append(key).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Gauge => "gauge",
        _ => "histogram",
    };
}
