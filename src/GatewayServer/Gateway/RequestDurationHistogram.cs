using System.Diagnostics;

namespace GatewayServer.Gateway;

/// <summary>
/// <c>http.server.request.duration</c> kept as plain bucket counts, one series per method and
/// status. A series is made the first time its pair is seen; after that a request costs a bucket
/// search over a few longs and three interlocked adds, and allocates nothing.
/// </summary>
internal sealed class RequestDurationHistogram
{
    /// <summary>The methods OpenTelemetry names; any other is <c>_OTHER</c>, so a client cannot make series up.</summary>
    public static readonly string[] MethodNames = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "_OTHER"];

    /// <summary>Bounds how many method/status pairs get a series; requests beyond are counted in <see cref="Dropped"/>.</summary>
    public const int MaxSeries = 32;

    private const int FirstStatus = 100;
    private const int StatusCount = 500;

    private readonly long[] _boundTicks;
    private readonly Series?[] _series = new Series?[MethodNames.Length * StatusCount];
    private int _seriesCount;
    private long _dropped;

    public RequestDurationHistogram(IReadOnlyList<double> boundsInSeconds)
    {
        _boundTicks = new long[boundsInSeconds.Count];
        for (int i = 0; i < _boundTicks.Length; i++)
        {
            _boundTicks[i] = (long)(boundsInSeconds[i] * Stopwatch.Frequency);
        }
    }

    /// <summary>Requests not recorded because <see cref="MaxSeries"/> pairs already had series.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records one request of <paramref name="elapsedTicks"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void Record(int methodIndex, int status, long elapsedTicks)
    {
        if (status is < FirstStatus or >= FirstStatus + StatusCount)
        {
            return;
        }

        int index = (methodIndex * StatusCount) + status - FirstStatus;
        Series? series = Volatile.Read(ref _series[index]) ?? Create(index);
        if (series is null)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        int bucket = 0;
        while (bucket < _boundTicks.Length && elapsedTicks > _boundTicks[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref series.Buckets[bucket]);
        Interlocked.Add(ref series.SumTicks, elapsedTicks);
    }

    /// <summary>Calls <paramref name="visit"/> with method, status, bucket counts and sum in seconds of every series (reads may be a request apart).</summary>
    public void ForEach(Action<string, int, long[], double> visit)
    {
        for (int index = 0; index < _series.Length; index++)
        {
            if (Volatile.Read(ref _series[index]) is { } series)
            {
                long[] buckets = new long[series.Buckets.Length];
                for (int i = 0; i < buckets.Length; i++)
                {
                    buckets[i] = Interlocked.Read(ref series.Buckets[i]);
                }

                visit(MethodNames[index / StatusCount], FirstStatus + (index % StatusCount), buckets, (double)Interlocked.Read(ref series.SumTicks) / Stopwatch.Frequency);
            }
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

    private Series? Create(int index)
    {
        lock (_series)
        {
            if (_series[index] is { } existing)
            {
                return existing;
            }

            if (_seriesCount >= MaxSeries)
            {
                return null;
            }

            var series = new Series(_boundTicks.Length + 1);
            _seriesCount++;
            Volatile.Write(ref _series[index], series);
            return series;
        }
    }

    private sealed class Series(int buckets)
    {
        public readonly long[] Buckets = new long[buckets];
        public long SumTicks;
    }
}
