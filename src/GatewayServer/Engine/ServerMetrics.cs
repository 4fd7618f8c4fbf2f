using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GatewayServer.Engine;

/// <summary>
/// A worker's metrics, counted where they happen into the calling thread's own
/// <see cref="ThreadCounts"/> (plain adds: no interlocked operation, nothing allocated per
/// request) and published two ways: through the <c>GatewayServer</c> <see cref="Meter"/>, whose
/// observable instruments read the summed counts (the duration histogram also records there, but
/// only while something listens, such as the OTLP exporter), and as the report the worker sends its
/// master, who serves them.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "GatewayServer";

    /// <summary>The calling thread's block and the metrics it belongs to.</summary>
    [ThreadStatic]
    private static CountsOwner? t_owner;

    /// <summary>Boxed once: a status tag on the listened-to histogram allocates nothing.</summary>
    private static readonly object[] BoxedStatuses = Enumerable.Range(0, 600).Select(status => (object)status).ToArray();

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly List<ThreadCounts> _threads = [];
    private readonly ThreadCounts _retired;
    private readonly double _frequency;
    private long _loopMovesToPool;
    private long _upgradedConnections;

    /// <param name="durationBounds">The duration histogram's bucket bounds, in seconds.</param>
    /// <param name="timestampFrequency">Ticks per second of the durations given to <see cref="RequestEnded"/>; 0 for <see cref="Stopwatch.Frequency"/>.</param>
    public ServerMetrics(IReadOnlyList<double> durationBounds, long timestampFrequency = 0)
    {
        _frequency = timestampFrequency > 0 ? timestampFrequency : Stopwatch.Frequency;
        Durations = new RequestDurationHistogram(durationBounds, (long)_frequency);
        _retired = Durations.NewCounts();
        _duration = _meter.CreateHistogram<double>("http.server.request.duration", "s", "Duration of HTTP server requests.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. durationBounds] });
        _meter.CreateObservableUpDownCounter("http.server.active_requests", () => ActiveRequests, "{request}", "Requests being processed now.");
        _meter.CreateObservableUpDownCounter("gwserve.connections.active", () => ActiveConnections, "{connection}", "Connections open now.");
        _meter.CreateObservableUpDownCounter("gwserve.connections.upgraded", () => UpgradedConnections, "{connection}", "Connections open now that switched protocols (WebSockets).");
        _meter.CreateObservableCounter("gwserve.connections", () => Totals().ConnectionsOpened, "{connection}", "Connections accepted.");
        _meter.CreateObservableCounter("gwserve.received", () => Totals().ReceivedBytes, "By", "Bytes received from clients.");
        _meter.CreateObservableCounter("gwserve.sent", () => Totals().SentBytes, "By", "Bytes sent to clients.");
        _meter.CreateObservableCounter("gwserve.app.exceptions", () => Totals().AppExceptions, "{exception}", "Exceptions the application threw.");
        _meter.CreateObservableCounter("gwserve.loop.moves_to_pool", () => LoopMovesToPool, "{move}", "Times the event loop moved the application to the thread pool.");
        _meter.CreateObservableCounter("gwserve.event_loop.busy_time", () => LoopBusySeconds?.Invoke() ?? 0, "s", "Time the event loop's thread spent serving rather than waiting for events.");
        _meter.CreateObservableCounter("gwserve.requests.rejected", ObserveRejected, "{request}", "Requests answered with an error of the server's own.");
    }

    public RequestDurationHistogram Durations { get; }

    /// <summary>Reads the event loop's busy time, in seconds (set once the loop is started).</summary>
    public Func<double>? LoopBusySeconds { get; set; }

    public long ActiveConnections
    {
        get
        {
            ThreadCounts totals = Totals();
            return totals.ConnectionsOpened - totals.ConnectionsClosed;
        }
    }

    public long ActiveRequests
    {
        get
        {
            ThreadCounts totals = Totals();
            return totals.RequestsStarted - totals.RequestsEnded;
        }
    }

    public long LoopMovesToPool => Interlocked.Read(ref _loopMovesToPool);

    /// <summary>Connections open now that switched protocols (101): counted among the active ones too.</summary>
    public long UpgradedConnections => Interlocked.Read(ref _upgradedConnections);

    public void ConnectionUpgraded() => Interlocked.Increment(ref _upgradedConnections);

    public void UpgradedConnectionClosed() => Interlocked.Decrement(ref _upgradedConnections);


    /// <summary>The calling thread's counts, joined to this instance on its first call.</summary>
    private ThreadCounts Mine
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_owner is { } owner && ReferenceEquals(owner.Metrics, this) ? owner.Counts : Join();
    }

    public void ConnectionOpened() => Mine.ConnectionsOpened++;

    public void ConnectionClosed(long received, long sent)
    {
        ThreadCounts counts = Mine;
        counts.ReceivedBytes += received;
        counts.SentBytes += sent;
        counts.ConnectionsClosed++;
    }

    /// <summary>A request head was parsed (the caller reads the clock, once, for this and the access log).</summary>
    public void RequestStarted() => Mine.RequestsStarted++;

    /// <summary>
    /// The request is over after <paramref name="elapsedTicks"/>. <paramref name="status"/> is 0 when
    /// it ended without a response (the client went away): it leaves the active count but no duration.
    /// </summary>
    public void RequestEnded(ReadOnlySpan<byte> method, int status, long elapsedTicks)
    {
        ThreadCounts counts = Mine;
        counts.RequestsEnded++;
        if (status == 0)
        {
            return;
        }

        int methodIndex = RequestDurationHistogram.MethodIndex(method);
        Durations.Record(counts, methodIndex, status, elapsedTicks);
        if (_duration.Enabled && (uint)status < (uint)BoxedStatuses.Length)
        {
            _duration.Record(elapsedTicks / _frequency,
                new KeyValuePair<string, object?>("http.request.method", RequestDurationHistogram.MethodNames[methodIndex]),
                new KeyValuePair<string, object?>("http.response.status_code", BoxedStatuses[status]));
        }
    }

    /// <summary>The server answered <paramref name="status"/> itself: a rejected request (4xx) or an app failure (5xx).</summary>
    public void ErrorAnswered(int status)
    {
        if (status is >= 400 and < 500)
        {
            Mine.Rejected[status - 400]++;
        }
    }

    public void AppFailed() => Mine.AppExceptions++;

    /// <summary>Once per worker at most (the loop moves once): rare enough for an interlocked add.</summary>
    public void LoopMovedToPool() => Interlocked.Increment(ref _loopMovesToPool);

    /// <summary>
    /// Every thread's counts added up, with those of threads that have exited. Allocates; called
    /// by the report (once a second) and the meter's listeners, never per request.
    /// </summary>
    public ThreadCounts Totals()
    {
        ThreadCounts totals = Durations.NewCounts();
        lock (_threads)
        {
            for (int i = _threads.Count - 1; i >= 0; i--)
            {
                ThreadCounts counts = _threads[i];
                if (counts.Orphaned)
                {
                    // Its thread is gone and writes no more: keep its counts, forget the block.
                    counts.AddTo(_retired);
                    _threads.RemoveAt(i);
                }
                else
                {
                    counts.AddTo(totals);
                }
            }

            _retired.AddTo(totals);
        }

        return totals;
    }

    /// <summary>Calls <paramref name="visit"/> with each 4xx status rejected so far and its count.</summary>
    public static void ForEachRejected(ThreadCounts totals, Action<int, long> visit)
    {
        for (int i = 0; i < totals.Rejected.Length; i++)
        {
            if (totals.Rejected[i] > 0)
            {
                visit(400 + i, totals.Rejected[i]);
            }
        }
    }

    public void Dispose() => _meter.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ThreadCounts Join()
    {
        ThreadCounts counts = Durations.NewCounts();
        lock (_threads)
        {
            _threads.Add(counts);
        }

        t_owner = new CountsOwner(this, counts);
        return counts;
    }

    private IEnumerable<Measurement<long>> ObserveRejected()
    {
        var measurements = new List<Measurement<long>>();
        ForEachRejected(Totals(), (status, count) => measurements.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("http.response.status_code", status))));
        return measurements;
    }

    /// <summary>
    /// Held by one thread's <see cref="ThreadStaticAttribute"/> field only: once that thread exits,
    /// nothing reaches it and its finalizer marks the thread's counts for folding into the retired
    /// ones, so pool threads that come and go leave no blocks behind.
    /// </summary>
    private sealed class CountsOwner(ServerMetrics metrics, ThreadCounts counts)
    {
        public ServerMetrics Metrics { get; } = metrics;

        public ThreadCounts Counts { get; } = counts;

        ~CountsOwner() => Counts.Orphaned = true;
    }
}
