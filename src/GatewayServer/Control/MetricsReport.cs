using System.Globalization;
using System.Text;

namespace GatewayServer.Control;

/// <summary>
/// A worker's metrics as it reports them to the master once a second (<see cref="WorkerMessages.Metrics"/>):
/// series keyed by <c>name</c> or <c>name{label="value",...}</c>, every counter and histogram
/// cumulative over the worker's life. The master keeps each worker's last report and folds the
/// counters and histograms of an exited worker into a retired total, so the pool's totals never go
/// backwards. On the wire: <c>c:KEY=N</c>, <c>g:KEY=N</c> and <c>h:KEY=SUM:B0/B1/.../BN</c>, space-separated.
/// </summary>
public sealed class MetricsReport
{
    /// <summary>Bounds what one report may hold, whatever a worker sends.</summary>
    public const int MaxSeries = 256;

    public Dictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Gauges { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HistogramCounts> Histograms { get; } = new(StringComparer.Ordinal);

    public int SeriesCount => Counters.Count + Gauges.Count + Histograms.Count;

    /// <summary>A counter's or gauge's value, 0 when absent.</summary>
    public long Value(string key) => Counters.TryGetValue(key, out long value) || Gauges.TryGetValue(key, out value) ? value : 0;

    /// <summary>The total count of every series of histogram <paramref name="family"/>.</summary>
    public long HistogramCount(MetricFamily family)
    {
        long count = 0;
        foreach ((string key, HistogramCounts series) in Histograms)
        {
            if (MetricCatalog.FamilyOf(key) == family)
            {
                count += series.Count;
            }
        }

        return count;
    }

    /// <summary>The wire form (without the message name).</summary>
    public string Encode()
    {
        var text = new StringBuilder();
        foreach ((string key, long value) in Counters)
        {
            text.Append(CultureInfo.InvariantCulture, $"c:{key}={value} ");
        }

        foreach ((string key, long value) in Gauges)
        {
            text.Append(CultureInfo.InvariantCulture, $"g:{key}={value} ");
        }

        foreach ((string key, HistogramCounts histogram) in Histograms)
        {
            text.Append(CultureInfo.InvariantCulture, $"h:{key}={histogram.Sum:R}:{string.Join('/', histogram.Buckets)} ");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// Reads a report. Entries that are malformed, name no declared per-worker family, or have the
    /// wrong type are skipped: a report is data from another process, never trusted to be well formed.
    /// </summary>
    public static MetricsReport Parse(string text)
    {
        var report = new MetricsReport();
        foreach (string entry in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (report.SeriesCount >= MaxSeries)
            {
                break;
            }

            int equals = entry.LastIndexOf('=');
            if (entry.Length < 3 || entry[1] != ':' || equals < 0)
            {
                continue;
            }

            string key = entry[2..equals];
            string value = entry[(equals + 1)..];
            if (!SeriesKey.IsValid(key) || MetricCatalog.FamilyOf(key) is not { PerWorker: true } family)
            {
                continue;
            }

            switch (entry[0])
            {
                case 'c' when family.Kind == MetricKind.Counter && TryParseCount(value, out long count):
                    report.Counters[key] = count;
                    break;
                case 'g' when family.Kind == MetricKind.Gauge && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long gauge):
                    report.Gauges[key] = gauge;
                    break;
                case 'h' when family.Kind == MetricKind.Histogram && TryParseHistogram(value, out HistogramCounts? histogram):
                    report.Histograms[key] = histogram;
                    break;
            }
        }

        return report;
    }

    /// <summary>Adds the counters and histograms of <paramref name="other"/> (gauges are a worker's present, not its history).</summary>
    public void AddCumulative(MetricsReport other)
    {
        foreach ((string key, long value) in other.Counters)
        {
            Counters[key] = Counters.GetValueOrDefault(key) + value;
        }

        foreach ((string key, HistogramCounts histogram) in other.Histograms)
        {
            if (Histograms.TryGetValue(key, out HistogramCounts? total))
            {
                total.Add(histogram);
            }
            else
            {
                Histograms[key] = histogram.Clone();
            }
        }
    }

    public MetricsReport Clone()
    {
        var copy = new MetricsReport();
        copy.AddCumulative(this);
        foreach ((string key, long value) in Gauges)
        {
            copy.Gauges[key] = value;
        }

        return copy;
    }

    private static bool TryParseCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryParseHistogram(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HistogramCounts? histogram)
    {
        histogram = null;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !double.TryParse(text.AsSpan(0, colon), NumberStyles.Float, CultureInfo.InvariantCulture, out double sum) || !double.IsFinite(sum) || sum < 0)
        {
            return false;
        }

        string[] parts = text[(colon + 1)..].Split('/');
        if (parts.Length != MetricCatalog.DurationBounds.Length + 1)
        {
            return false;
        }

        long[] buckets = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!TryParseCount(parts[i], out buckets[i]))
            {
                return false;
            }
        }

        histogram = new HistogramCounts(buckets, sum);
        return true;
    }
}
