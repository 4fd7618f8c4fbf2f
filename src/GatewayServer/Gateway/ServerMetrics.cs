using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GatewayServer.Gateway;

/// <summary>
/// A worker's metrics, counted where they happen with interlocked adds on fields (nothing is
/// allocated per request) and published two ways: through the <c>GatewayServer</c>
/// <see cref="Meter"/> (observable instruments read these fields; the duration histogram records
/// only while something listens), and as the report the worker sends its master, who serves them.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "GatewayServer";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private long _connectionsOpened;
    private long _connectionsClosed;
    private long _activeRequests;
    private long _receivedBytes;
    private long _sentBytes;
    private long _appExceptions;
    private long _loopMovesToPool;
    private long _upgradedConnections;
    private readonly long[] _rejected = new long[600];

    public ServerMetrics(IReadOnlyList<double> durationBounds)
    {
        Durations = new RequestDurationHistogram(durationBounds);
        _duration = _meter.CreateHistogram<double>("http.server.request.duration", "s", "Duration of HTTP server requests.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. durationBounds] });
        _meter.CreateObservableUpDownCounter("http.server.active_requests", () => ActiveRequests, "{request}", "Requests being processed now.");
        _meter.CreateObservableUpDownCounter("gwserve.connections.active", () => ActiveConnections, "{connection}", "Connections open now.");
        _meter.CreateObservableUpDownCounter("gwserve.connections.upgraded", () => UpgradedConnections, "{connection}", "Connections open now that switched protocols (WebSockets).");
        _meter.CreateObservableCounter("gwserve.connections", () => ConnectionsOpened, "{connection}", "Connections accepted.");
        _meter.CreateObservableCounter("gwserve.received", () => ReceivedBytes, "By", "Bytes received from clients.");
        _meter.CreateObservableCounter("gwserve.sent", () => SentBytes, "By", "Bytes sent to clients.");
        _meter.CreateObservableCounter("gwserve.app.exceptions", () => AppExceptions, "{exception}", "Exceptions the application threw.");
        _meter.CreateObservableCounter("gwserve.loop.moves_to_pool", () => LoopMovesToPool, "{move}", "Times the event loop moved the application to the thread pool.");
        _meter.CreateObservableCounter("gwserve.requests.rejected", ObserveRejected, "{request}", "Requests answered with an error of the server's own.");
    }

    public RequestDurationHistogram Durations { get; }

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    public long ActiveConnections => ConnectionsOpened - Interlocked.Read(ref _connectionsClosed);

    public long ActiveRequests => Interlocked.Read(ref _activeRequests);

    public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

    public long SentBytes => Interlocked.Read(ref _sentBytes);

    public long AppExceptions => Interlocked.Read(ref _appExceptions);

    public long LoopMovesToPool => Interlocked.Read(ref _loopMovesToPool);

    /// <summary>Connections open now that switched protocols (101): counted among the active ones too.</summary>
    public long UpgradedConnections => Interlocked.Read(ref _upgradedConnections);

    public void ConnectionUpgraded() => Interlocked.Increment(ref _upgradedConnections);

    public void UpgradedConnectionClosed() => Interlocked.Decrement(ref _upgradedConnections);

    public void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpened);

    public void ConnectionClosed(long received, long sent)
    {
        Interlocked.Add(ref _receivedBytes, received);
        Interlocked.Add(ref _sentBytes, sent);
        Interlocked.Increment(ref _connectionsClosed);
    }

    /// <summary>A request head was parsed; returns the timestamp to hand back to <see cref="RequestEnded"/>.</summary>
    public long RequestStarted()
    {
        Interlocked.Increment(ref _activeRequests);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// The request is over. <paramref name="status"/> is 0 when it ended without a response (the
    /// client went away): it leaves the active count but no duration.
    /// </summary>
    public void RequestEnded(ReadOnlySpan<byte> method, int status, long startedAt)
    {
        Interlocked.Decrement(ref _activeRequests);
        if (status == 0)
        {
            return;
        }

        long elapsed = Stopwatch.GetTimestamp() - startedAt;
        int methodIndex = RequestDurationHistogram.MethodIndex(method);
        Durations.Record(methodIndex, status, elapsed);
        if (_duration.Enabled)
        {
            _duration.Record((double)elapsed / Stopwatch.Frequency,
                new KeyValuePair<string, object?>("http.request.method", RequestDurationHistogram.MethodNames[methodIndex]),
                new KeyValuePair<string, object?>("http.response.status_code", status));
        }
    }

    /// <summary>The server answered <paramref name="status"/> itself: a rejected request (4xx) or an app failure (5xx).</summary>
    public void ErrorAnswered(int status)
    {
        if (status is >= 400 and < 500)
        {
            Interlocked.Increment(ref _rejected[status]);
        }
    }

    public void AppFailed() => Interlocked.Increment(ref _appExceptions);

    public void LoopMovedToPool() => Interlocked.Increment(ref _loopMovesToPool);

    /// <summary>Calls <paramref name="visit"/> with each 4xx status rejected so far and its count.</summary>
    public void ForEachRejected(Action<int, long> visit)
    {
        for (int status = 400; status < 500; status++)
        {
            long count = Interlocked.Read(ref _rejected[status]);
            if (count > 0)
            {
                visit(status, count);
            }
        }
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveRejected()
    {
        var measurements = new List<Measurement<long>>();
        ForEachRejected((status, count) => measurements.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("http.response.status_code", status))));
        return measurements;
    }
}
