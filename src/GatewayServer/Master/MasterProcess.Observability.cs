using System.Runtime.InteropServices;
using GatewayServer.Control;

namespace GatewayServer.Master;

// What the metrics endpoint and the control socket (the Operations layer) may ask of the master,
// from their own threads: health flags it publishes, snapshots and signals it takes on its loop.
public sealed partial class MasterProcess
{
    /// <summary>The loop is live when it handled an event this recently (the tick comes every half second).</summary>
    private static readonly TimeSpan LivenessWindow = TimeSpan.FromSeconds(5);

    private readonly MetricsReport _retired = new();
    private readonly Dictionary<string, long> _restarts = new(StringComparer.Ordinal);
    private long _reloads;
    private volatile bool _readyForTraffic;
    private long _loopSeenAt = Environment.TickCount64;

    /// <summary><c>/readyz</c>: a worker is ready and the master is neither in its shutdown delay nor draining.</summary>
    public bool IsReady => _readyForTraffic;

    /// <summary><c>/livez</c>: the master's loop handled an event (at least its tick) within the last few seconds.</summary>
    public bool IsLive => Environment.TickCount64 - Volatile.Read(ref _loopSeenAt) < (long)LivenessWindow.TotalMilliseconds;

    /// <summary>The pool as it is now, taken on the master's loop; cancelled if the loop does not answer in time.</summary>
    public async Task<PoolSnapshot> SnapshotAsync(CancellationToken cancellation)
    {
        var reply = new TaskCompletionSource<PoolSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        _events.Writer.TryWrite(new MasterEvent.SnapshotRequested(reply));
        return await reply.Task.WaitAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Does what <paramref name="signal"/> does, through the same queue and code (a control-socket
    /// command is a signal that did not need <c>kill</c>).
    /// </summary>
    public void Post(PosixSignal signal) => _events.Writer.TryWrite(new MasterEvent.SignalReceived(signal));

    /// <summary>Step (after every event): the flags health checks read without waiting for the loop.</summary>
    private void PublishHealth()
    {
        Volatile.Write(ref _loopSeenAt, Environment.TickCount64);
        _readyForTraffic = !_stopping && _drainAt == long.MaxValue && _workers.Any(w => w.Phase == WorkerPhase.Ready);
    }

    /// <summary>A worker was reaped: keep its counts in the retired totals and count its restart.</summary>
    private void RecordExit(WorkerHandle worker)
    {
        if (worker.Metrics is { } metrics)
        {
            _retired.AddCumulative(metrics);
        }

        if (!_stopping && RestartReason.Of(worker, _generation.Number) is { } reason)
        {
            _restarts[reason] = _restarts.GetValueOrDefault(reason) + 1;
        }
    }

    private PoolSnapshot TakeSnapshot()
    {
        long now = _clock.Now;
        var workers = new List<WorkerSnapshot>(_workers.Count);
        foreach (WorkerHandle worker in _workers)
        {
            workers.Add(new WorkerSnapshot(
                worker.Id, worker.Pid, worker.Generation, worker.Phase, TimeSpan.FromMilliseconds(now - worker.StartedAt),
                worker.RequestCount, TimeSpan.FromMilliseconds(now - worker.LastHeartbeat),
                worker.ResidentBytes > 0 ? worker.ResidentBytes : ProcStatus.ReadResidentBytes(worker.Pid),
                ProcStatus.ReadProportionalBytes(worker.Pid), worker.Metrics));
        }

        var queues = new List<ListenQueueSample>();
        foreach ((int slot, Transport.Listener listener) in _listeners?.Sockets() ?? [])
        {
            if (Transport.ListenQueue.TryRead(listener.Socket, out long queued, out long limit))
            {
                queues.Add(new ListenQueueSample(listener.UrlWithScheme("tcp"), slot, queued, limit));
            }
        }

        return new PoolSnapshot(
            _generation.Number, _targetWorkers, _readyForTraffic, _stopping || _drainAt != long.MaxValue,
            workers, _retired.Clone(), new Dictionary<string, long>(_restarts), _reloads, queues);
    }
}
