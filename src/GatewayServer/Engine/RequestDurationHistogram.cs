using System.Diagnostics;

namespace GatewayServer.Engine;

/// <summary>
/// The shape of <c>http.server.request.duration</c> kept as plain bucket counts: one series per
/// method and status, each given a slot the first time its pair is seen. The counts themselves
/// live in each thread's <see cref="ThreadCounts"/> (slot × bucket count + bucket), so a request
/// costs a slot lookup, a bucket search over a few longs and two plain adds, and allocates nothing.
/// </summary>
internal sealed class RequestDurationHistogram
{
    /// <summary>The methods OpenTelemetry names; any other is <c>_OTHER</c>, so a client cannot make series up.</summary>
    public static readonly string[] MethodNames = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "_OTHER"];

    /// <summary>Bounds how many method/status pairs get a series; requests beyond are counted in <see cref="ThreadCounts.DroppedDurations"/>.</summary>
    public const int MaxSeries = 32;

    private const int FirstStatus = 100;
    private const int StatusCount = 500;

    private readonly long[] _boundTicks;
    private readonly double _frequency;

    /// <summary>Slot + 1 of each method × status pair, 0 while it has none.</summary>
    private readonly int[] _slots = new int[MethodNames.Length * StatusCount];

    /// <summary>The method × status index of each slot given so far.</summary>
    private readonly int[] _pairs = new int[MaxSeries];
    private int _seriesCount;

    /// <param name="boundsInSeconds">The buckets' upper bounds.</param>
    /// <param name="timestampFrequency">Ticks per second of the durations recorded (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public RequestDurationHistogram(IReadOnlyList<double> boundsInSeconds, long timestampFrequency = 0)
    {
        _frequency = timestampFrequency > 0 ? timestampFrequency : Stopwatch.Frequency;
        _boundTicks = new long[boundsInSeconds.Count];
        for (int i = 0; i < _boundTicks.Length; i++)
        {
            _boundTicks[i] = (long)(boundsInSeconds[i] * _frequency);
        }
    }

    /// <summary>Buckets per series: one per bound, and the last for what is above them all.</summary>
    public int BucketCount => _boundTicks.Length + 1;

    /// <summary>A <see cref="ThreadCounts"/> block with room for every series of this histogram.</summary>
    public ThreadCounts NewCounts() => new(MaxSeries * BucketCount, MaxSeries);

    /// <summary>Records one request of <paramref name="elapsedTicks"/> into <paramref name="counts"/>, the calling thread's own.</summary>
    public void Record(ThreadCounts counts, int methodIndex, int status, long elapsedTicks)
    {
        if (status is < FirstStatus or >= FirstStatus + StatusCount)
        {
            return;
        }

        int index = (methodIndex * StatusCount) + status - FirstStatus;
        int slot = Volatile.Read(ref _slots[index]) - 1;
        if (slot < 0 && (slot = Create(index)) < 0)
        {
            counts.DroppedDurations++;
            return;
        }

        int bucket = 0;
        while (bucket < _boundTicks.Length && elapsedTicks > _boundTicks[bucket])
        {
            bucket++;
        }

        counts.Buckets[(slot * BucketCount) + bucket]++;
        counts.SumTicks[slot] += elapsedTicks;
    }

    /// <summary>Calls <paramref name="visit"/> with method, status, bucket counts and sum in seconds of every series in <paramref name="totals"/>.</summary>
    public void ForEach(ThreadCounts totals, Action<string, int, long[], double> visit)
    {
        int count = Volatile.Read(ref _seriesCount);
        for (int slot = 0; slot < count; slot++)
        {
            int pair = _pairs[slot];
            long[] buckets = totals.Buckets.AsSpan(slot * BucketCount, BucketCount).ToArray();
            visit(MethodNames[pair / StatusCount], FirstStatus + (pair % StatusCount), buckets, totals.SumTicks[slot] / _frequency);
        }
    }

    /// <summary>The index of <paramref name="method"/> in <see cref="MethodNames"/>, without allocating.</summary>
    public static int MethodIndex(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => 0,
        _ when method.SequenceEqual("HEAD"u8) => 1,
        _ when method.SequenceEqual("POST"u8) => 2,
        _ when method.SequenceEqual("PUT"u8) => 3,
        _ when method.SequenceEqual("DELETE"u8) => 4,
        _ when method.SequenceEqual("OPTIONS"u8) => 5,
        _ when method.SequenceEqual("PATCH"u8) => 6,
        _ when method.SequenceEqual("CONNECT"u8) => 7,
        _ when method.SequenceEqual("TRACE"u8) => 8,
        _ => 9,
    };

    /// <summary>Gives the pair at <paramref name="index"/> a slot; -1 when <see cref="MaxSeries"/> are taken.</summary>
    private int Create(int index)
    {
        lock (_pairs)
        {
            if (_slots[index] > 0)
            {
                return _slots[index] - 1;
            }

            if (_seriesCount >= MaxSeries)
            {
                return -1;
            }

            int slot = _seriesCount;
            _pairs[slot] = index;
            // The pair is in place before a reader can count this slot.
            Volatile.Write(ref _seriesCount, slot + 1);
            Volatile.Write(ref _slots[index], slot + 1);
            return slot;
        }
    }
}
