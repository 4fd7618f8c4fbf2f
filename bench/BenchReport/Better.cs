namespace BenchReport;

/// <summary>Which way a figure is better: more requests per second, fewer milliseconds or megabytes.</summary>
public enum Better
{
    /// <summary>More is better (req/s).</summary>
    Higher,

    /// <summary>Less is better (latency, start time, memory).</summary>
    Lower,
}
