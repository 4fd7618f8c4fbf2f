using System.Threading.Tasks.Sources;

namespace GatewayServer.Transport;

/// <summary>
/// One connection's wait for its socket to become readable, completed by the
/// <see cref="ReadinessLoop"/> on the loop's own thread, so the connection's code resumes right
/// there with no hand-off. A readiness event that comes while nobody waits is remembered, and the
/// next wait returns at once: the socket is registered edge-triggered, so that event is the only
/// news of those bytes. Completions are hints: the caller always tries its receive again, so a
/// stale one costs a receive that finds nothing, never a lost byte.
/// </summary>
internal sealed class ReadinessWaiter : IValueTaskSource<int>
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Notified = 2;

    private ManualResetValueTaskSourceCore<int> _core;
    private CancellationTokenRegistration _cancellation;
    private int _state;

    /// <summary>The waiter's slot in its loop's table (the epoll event's data).</summary>
    public int Slot { get; init; }

    /// <summary>Waits for readability (the caller found nothing to receive just before); completes with 1.</summary>
    public ValueTask<int> WaitAsync(CancellationToken cancellation)
    {
        _core.Reset();
        _core.RunContinuationsAsynchronously = false;
        // Registered before the wait is published: GetResult, which may run on the loop's thread
        // before this method returns, must find the registration it unregisters.
        if (cancellation.CanBeCanceled)
        {
            _cancellation = cancellation.UnsafeRegister(static (state, token) => ((ReadinessWaiter)state!).Fail(new OperationCanceledException(token)), this);
        }

        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Notified)
        {
            // Bytes (or the end) arrived since the caller's last look.
            Volatile.Write(ref _state, Idle);
            _cancellation.Dispose();
            _cancellation = default;
            return new ValueTask<int>(1);
        }

        if (cancellation.IsCancellationRequested)
        {
            // Cancelled before the wait was published, so the callback found nothing to end.
            Fail(new OperationCanceledException(cancellation));
        }

        return new ValueTask<int>(this, _core.Version);
    }

    /// <summary>
    /// Called on the loop's thread: resumes the waiting connection there (<paramref name="inline"/>)
    /// or on the thread pool, or remembers the event when nobody waits.
    /// </summary>
    public void Notify(bool inline)
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Notified)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, state == Waiting ? Idle : Notified, state) == state)
            {
                if (state == Waiting)
                {
                    _core.RunContinuationsAsynchronously = !inline;
                    _core.SetResult(1);
                }

                return;
            }
        }
    }

    /// <summary>Ends a wait in progress with <paramref name="error"/> (the connection is aborted or its wait cancelled).</summary>
    public void Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            // Not on the failing thread (a timer or the sweep): the connection resumes on the pool.
            _core.RunContinuationsAsynchronously = true;
            _core.SetException(error);
        }
    }

    int IValueTaskSource<int>.GetResult(short token)
    {
        // Dispose, not Unregister: it waits for a callback already running, which must not fail
        // the next wait instead of this one.
        _cancellation.Dispose();
        _cancellation = default;
        return _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
