namespace GatewayServer.Control;

/// <summary>One histogram series as reported: the count in each bucket (not cumulative; the last is +Inf) and the sum.</summary>
public sealed class HistogramCounts
{
    public HistogramCounts(long[] buckets, double sum)
    {
        Buckets = buckets;
        Sum = sum;
    }

    /// <summary>Observations per bucket: <c>Buckets[i]</c> counts those in (bound[i-1], bound[i]]; the last one those above every bound.</summary>
    public long[] Buckets { get; }

    public double Sum { get; private set; }

    public long Count
    {
        get
        {
            long count = 0;
            foreach (long bucket in Buckets)
            {
                count += bucket;
            }

            return count;
        }
    }

    public HistogramCounts Clone() => new((long[])Buckets.Clone(), Sum);

    /// <summary>Adds <paramref name="other"/> in (same bounds); used to fold an exited worker's totals into the retired ones.</summary>
    public void Add(HistogramCounts other)
    {
        for (int i = 0; i < Buckets.Length && i < other.Buckets.Length; i++)
        {
            Buckets[i] += other.Buckets[i];
        }

        Sum += other.Sum;
    }
}
