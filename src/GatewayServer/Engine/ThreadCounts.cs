namespace GatewayServer.Engine;

/// <summary>
/// The counts of one thread that serves requests (the event loop's, or a pool thread's), written
/// by that thread alone with plain increments: no interlocked operation, no cache line shared
/// with another writer. Readers add every thread's block up once a second (a read may be a
/// request behind; 64-bit reads of aligned fields do not tear on the 64-bit platforms .NET runs
/// gwserve on). Active requests and connections are differences of two counts, so a request that
/// begins on the loop and ends on a pool thread still balances in the sum.
/// </summary>
internal sealed class ThreadCounts
{
    /// <summary>4xx statuses the server answered itself, indexed by status - 400.</summary>
    public const int RejectedStatuses = 100;

    public ThreadCounts(int histogramCells, int histogramSeries)
    {
        Buckets = new long[histogramCells];
        SumTicks = new long[histogramSeries];
    }

    public long ConnectionsOpened;
    public long ConnectionsClosed;
    public long RequestsStarted;
    public long RequestsEnded;
    public long ReceivedBytes;
    public long SentBytes;
    public long AppExceptions;
    public long DroppedDurations;

    /// <summary>Set once the owning thread has exited (its block is then folded into the retired one and forgotten).</summary>
    public volatile bool Orphaned;

    public long[] Rejected { get; } = new long[RejectedStatuses];

    /// <summary>Duration bucket counts: series slot × bucket count + bucket (see <see cref="RequestDurationHistogram"/>).</summary>
    public long[] Buckets { get; }

    /// <summary>Summed durations (timestamp ticks) per series slot.</summary>
    public long[] SumTicks { get; }

    /// <summary>Adds this thread's counts into <paramref name="total"/>; called by readers, never by the owner.</summary>
    public void AddTo(ThreadCounts total)
    {
        total.ConnectionsOpened += Volatile.Read(ref ConnectionsOpened);
        total.ConnectionsClosed += Volatile.Read(ref ConnectionsClosed);
        total.RequestsStarted += Volatile.Read(ref RequestsStarted);
        total.RequestsEnded += Volatile.Read(ref RequestsEnded);
        total.ReceivedBytes += Volatile.Read(ref ReceivedBytes);
        total.SentBytes += Volatile.Read(ref SentBytes);
        total.AppExceptions += Volatile.Read(ref AppExceptions);
        total.DroppedDurations += Volatile.Read(ref DroppedDurations);
        Add(Rejected, total.Rejected);
        Add(Buckets, total.Buckets);
        Add(SumTicks, total.SumTicks);
    }

    private static void Add(long[] from, long[] to)
    {
        for (int i = 0; i < from.Length; i++)
        {
            to[i] += Volatile.Read(ref from[i]);
        }
    }
}
