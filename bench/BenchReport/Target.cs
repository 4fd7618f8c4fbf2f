namespace BenchReport;

/// <summary>Judges a figure against a target: a ratio to a peer's figure, or an absolute limit.</summary>
public static class Target
{
    /// <summary>
    /// <paramref name="value"/> / <paramref name="peer"/> against <paramref name="limit"/>: met when the
    /// ratio is at least the limit for a figure where higher is better, at most the limit otherwise.
    /// </summary>
    public static TargetResult Ratio(string label, double? value, double? peer, double limit, Better better)
    {
        if (value is not { } a || peer is not { } b || b == 0)
        {
            return new TargetResult(label, Cell.Missing, null);
        }

        double ratio = a / b;
        bool met = better == Better.Higher ? ratio >= limit : ratio <= limit;
        return new TargetResult(label, Cell.Times(ratio), met);
    }

    /// <summary>
    /// <paramref name="value"/> against an upper <paramref name="limit"/> (start time, memory): met when
    /// at most the limit. The value is written with <paramref name="format"/> and <paramref name="unit"/>.
    /// </summary>
    public static TargetResult AtMost(string label, double? value, double limit, string unit, string format)
    {
        if (value is not { } v)
        {
            return new TargetResult(label, Cell.Missing, null);
        }

        return new TargetResult(label, $"{Cell.Number(v, format)} {unit}", v <= limit);
    }
}
