using System.Diagnostics;
using System.Runtime;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>
/// The worker's event loop, as nginx runs one per worker: a thread of its own waits in
/// <c>epoll_wait</c> for connections to become readable and resumes each waiting connection on
/// that thread, where it parses, runs the application and sends without handing the work to
/// another thread. .NET's socket engine instead queues every completion to the thread pool: on a
/// small machine that hand-off, and the wake-ups of pool threads it causes, cost more than the
/// request itself. Sockets are registered once, edge-triggered, and leave the epoll set by
/// themselves when closed.
/// <para>
/// Code run on the loop must not block it: every connection the loop serves waits meanwhile. An
/// application that blocks (a synchronous database call, a sleep) or computes for long belongs on
/// the thread pool. With <see cref="LoopDispatch.Auto"/> the loop watches what it runs: when
/// wake-ups during which the thread slept keep it waiting a tenth of a second within a second, or
/// one has not returned for a while (<see cref="LoopWatchdog"/>), every later wake-up goes to the pool.
/// </para>
/// </summary>
internal sealed class ReadinessLoop
{
    private const int BatchSize = 256;

    /// <summary>How long one batch may take before the loop counts as stuck (<see cref="IsStuck"/>).</summary>
    private const long StuckMilliseconds = 1000;

    /// <summary>The share of a second requests may keep the loop waiting before it moves to the pool.</summary>
    private const double BlockedShare = 0.1;

    /// <summary>The epoll data of the wake event (<see cref="Post"/>): no waiter has this slot.</summary>
    private const int WakeSlot = -1;

    private static readonly long SlowWakeTicks = Stopwatch.Frequency / 1000;

    /// <summary>The <see cref="_wakeStarted"/> of a wake-up the watchdog took the loop from.</summary>
    private const long TakenOver = -1;

    /// <summary>Set on a loop thread whose stuck wake-up the watchdog took the loop from.</summary>
    [ThreadStatic]
    private static bool t_retired;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly Lock _gate = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<IThreadPoolWorkItem> _posted = new();
    private readonly Action<string>? _movedToPool;
    private readonly bool _measureBusyTime;
    private ReadinessWaiter?[] _slots = new ReadinessWaiter?[64];
    private int _nextSlot;
    private int _wakePending;
    private volatile bool _onPool;
    private int _moved;
    private int _threadId;
    private ReadinessBatch? _batch;
    private long _busySince;
    private long _wakeStarted;
    private long _blockedSince;
    private long _blockedTicks;
    private readonly long _warmUpTicks;
    private long _servingSince;
    private long _busyMilliseconds;

    private ReadinessLoop(int epoll, int wakeFd, LoopDispatch dispatch, Action<string>? movedToPool, TimeSpan warmUp, bool measureBusyTime)
    {
        _measureBusyTime = measureBusyTime;
        _epoll = epoll;
        _wakeFd = wakeFd;
        Dispatch = dispatch;
        _warmUpTicks = (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        _onPool = dispatch == LoopDispatch.Pool;
        _movedToPool = movedToPool;
    }

    /// <summary>
    /// When the loop began the batch of events it is still working through
    /// (<see cref="Environment.TickCount64"/>), or 0 while it waits for events: a value long past
    /// means something it runs is stuck.
    /// </summary>
    public long BusySince => Volatile.Read(ref _busySince);

    /// <summary>Whether the loop has been inside one batch of wake-ups for over a second: an application holds it.</summary>
    public bool IsStuck(long now)
    {
        long busySince = BusySince;
        return busySince != 0 && now - busySince > StuckMilliseconds;
    }

    public LoopDispatch Dispatch { get; }

    /// <summary>
    /// Seconds the loop's thread spent between <c>epoll_wait</c>s, serving what they returned (0
    /// unless started with busy time measured); added as each batch ends. Its rate is the loop's
    /// busy ratio: near 1, connections wait on the loop rather than the loop on them. Timed with
    /// <see cref="Environment.TickCount64"/>, which the loop reads at each wake-up anyway: a coarse
    /// clock (a few milliseconds) but a cheap one, whose differences add up without bias over the
    /// many batches of a second, where a precise read per batch costs as much as a request's metrics.
    /// </summary>
    public double BusySeconds => Interlocked.Read(ref _busyMilliseconds) / 1000.0;

    /// <summary>Whether woken connections run on the thread pool (always, or since the loop was seen blocked).</summary>
    public bool RunsOnPool => _onPool;

    /// <summary>Creates the epoll instance and starts the loop's thread.</summary>
    /// <param name="dispatch">Where woken connections run.</param>
    /// <param name="movedToPool">Told, once, why an <see cref="LoopDispatch.Auto"/> loop moved to the pool.</param>
    /// <param name="warmUp">
    /// How long after its first wake-up an <see cref="LoopDispatch.Auto"/> loop does not count
    /// short waits towards moving to the pool, and the watchdog gives a wake-up
    /// <see cref="LoopWatchdog.WarmUpStuckLimit"/> rather than <see cref="LoopWatchdog.StuckLimit"/>
    /// (one that never ends still moves it): for an app whose first requests load and compile much of a framework.
    /// </param>
    /// <param name="measureBusyTime">Whether to keep <see cref="BusySeconds"/> (one coarse clock read per batch of events) and <see cref="LoopClock"/>.</param>
    public static ReadinessLoop Start(LoopDispatch dispatch, Action<string>? movedToPool = null, TimeSpan warmUp = default, bool measureBusyTime = false)
    {
        int epoll = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (epoll < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        int wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (wakeFd < 0 || !AddToEpoll(epoll, wakeFd, Libc.EPOLLIN | Libc.EPOLLET, WakeSlot))
        {
            throw new IOException($"eventfd for the event loop failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var loop = new ReadinessLoop(epoll, wakeFd, dispatch, movedToPool, warmUp, measureBusyTime);
        loop.StartThread(null);
        if (dispatch == LoopDispatch.Auto)
        {
            LoopWatchdog.Start(loop);
        }

        return loop;
    }

    /// <summary>Adds <paramref name="socket"/> to the epoll set; its readiness events go to the returned waiter.</summary>
    public ReadinessWaiter Register(Socket socket)
    {
        ReadinessWaiter waiter;
        lock (_gate)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
            if (slot == _slots.Length)
            {
                // Copied before it is published: the loop may read the old table meanwhile, whose entries stay valid.
                var larger = new ReadinessWaiter?[_slots.Length * 2];
                Array.Copy(_slots, larger, _slots.Length);
                Volatile.Write(ref _slots, larger);
            }

            waiter = new ReadinessWaiter { Slot = slot };
            Volatile.Write(ref _slots[slot], waiter);
        }

        bool added = false;
        socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            if (!AddToEpoll(_epoll, (int)socket.SafeHandle.DangerousGetHandle(), Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLET, waiter.Slot))
            {
                int errno = Marshal.GetLastPInvokeError();
                Unregister(waiter);
                throw new IOException($"epoll_ctl(EPOLL_CTL_ADD) failed: errno {errno}");
            }
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }

        return waiter;
    }

    /// <summary>
    /// Frees the waiter's slot once its socket is closed (which took it out of the epoll set). An
    /// event already fetched for the slot may still reach its next owner: a harmless spurious wake.
    /// </summary>
    public void Unregister(ReadinessWaiter waiter)
    {
        lock (_gate)
        {
            if (_slots[waiter.Slot] == waiter)
            {
                _slots[waiter.Slot] = null;
                _freeSlots.Push(waiter.Slot);
            }
        }
    }

    /// <summary>
    /// The loop's thread. When an <see cref="LoopDispatch.Auto"/> loop's thread is stuck in one
    /// wake-up, <see cref="LoopWatchdog"/> starts a new one: it serves what is left of the stuck
    /// thread's batch, then waits for events itself, and the stuck thread (retired) ends once its
    /// wake-up returns.
    /// </summary>
    private unsafe void Run(object? inherited)
    {
        Volatile.Write(ref _threadId, Libc.gettid());
        LoopCpuSharing.RequestShortSlice();
        if (inherited is ReadinessBatch stuck)
        {
            Serve(stuck);
        }

        var batch = new ReadinessBatch(BatchSize);
        long wokeAt = 0;
        while (!t_retired)
        {
            if (_measureBusyTime && wokeAt != 0)
            {
                // Interlocked: for a moment after a TakeOver, two threads may end batches.
                Interlocked.Add(ref _busyMilliseconds, Environment.TickCount64 - wokeAt);
                wokeAt = 0;
            }

            Volatile.Write(ref _busySince, 0);
            int count;
            fixed (byte* events = batch.Events)
            {
                count = Libc.epoll_wait(_epoll, events, batch.Capacity, -1);
            }

            if (count <= 0)
            {
                if (count < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR)
                {
                    // Not a signal: the epoll instance itself is broken, and the worker with it.
                    throw new IOException($"epoll_wait failed: errno {Marshal.GetLastPInvokeError()}");
                }

                continue;
            }

            wokeAt = Environment.TickCount64;
            Volatile.Write(ref _busySince, wokeAt);
            batch.Begin(count);
            _batch = batch;
            Serve(batch);
            LoopCpuSharing.YieldAfter(count);
        }
    }

    /// <summary>
    /// Serves the batch's events until none is left unclaimed. A thread replaced while stuck still
    /// serves what it claims after its wake-up returns (on the pool by then), so no fetched event
    /// is ever dropped; it only stops fetching new ones.
    /// </summary>
    private void Serve(ReadinessBatch batch)
    {
        ReadinessWaiter?[] slots = Volatile.Read(ref _slots);
        bool watch = !_onPool && Dispatch == LoopDispatch.Auto;
        if (_servingSince == 0)
        {
            Volatile.Write(ref _servingSince, Stopwatch.GetTimestamp());
        }

        long before = watch ? ThreadUsage.VoluntarySwitches() : 0;
        while (batch.TryClaim(out int slot))
        {
            if (slot == WakeSlot)
            {
                // Drained before the flag is cleared: a Post after the clear writes again, and its
                // count then survives until the next epoll_wait, which re-checks readiness (an
                // edge event whose count was read away before the wait is dropped).
                DrainWakeEvent();
                Interlocked.Exchange(ref _wakePending, 0);
                // Only what was posted before: work that posts itself again (a connection letting the
                // others have a turn, LoopTurn) runs after the next wait, not in this same drain.
                for (int posted = _posted.Count; posted > 0 && _posted.TryDequeue(out IThreadPoolWorkItem? work); posted--)
                {
                    watch = Wake(null, work, watch, before);
                }
            }
            else if ((uint)slot < (uint)slots.Length && Volatile.Read(ref slots[slot]) is { } waiter)
            {
                watch = Wake(waiter, null, watch, before);
            }
        }
    }

    /// <summary>
    /// Resumes <paramref name="waiter"/> or runs <paramref name="work"/>: on this thread, or on the
    /// pool once the loop moved there. Returns whether to go on watching for a blocked loop.
    /// </summary>
    private bool Wake(ReadinessWaiter? waiter, IThreadPoolWorkItem? work, bool watch, long before)
    {
        bool inline = !_onPool;
        if (!watch || !inline)
        {
            if (waiter is not null)
            {
                waiter.Notify(inline);
            }
            else if (inline)
            {
                work!.Execute();
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(work!, preferLocal: false);
            }

            return watch && inline;
        }

        long started = Stopwatch.GetTimestamp();
        if (_measureBusyTime)
        {
            // Watching takes this read anyway: a request this wake-up takes up starts here, exactly.
            LoopClock.Woke(started);
        }

        int collections = GC.CollectionCount(0);
        TimeSpan compiled = JitInfo.GetCompilationTime();
        Volatile.Write(ref _wakeStarted, started);
        if (waiter is not null)
        {
            waiter.Notify(inline: true);
        }
        else
        {
            work!.Execute();
        }

        if (Interlocked.CompareExchange(ref _wakeStarted, 0, started) != started)
        {
            // TakeOver claimed this wake-up: another thread runs the loop now. This one serves
            // what it has claimed (on the pool) and leaves without waiting for events again.
            t_retired = true;
            return false;
        }

        // A wake-up during which code was compiled is warm-up, not the app blocking: a cold app's
        // first requests compile and wait on the JIT's and the type loader's locks, which other
        // threads (the tiered compiler's among them) hold meanwhile.
        long took = Stopwatch.GetTimestamp() - started;
        return took < SlowWakeTicks || JitInfo.GetCompilationTime() != compiled || !SleptIn(before, collections, took);
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a connection just accepted) on the loop's thread, so its first
    /// request is served there like every later one; on the pool once the loop moved there.
    /// </summary>
    public void Post(IThreadPoolWorkItem work)
    {
        _posted.Enqueue(work);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            WriteWakeEvent();
        }
    }

    private unsafe void WriteWakeEvent()
    {
        ulong one = 1;
        Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
    }

    private unsafe void DrainWakeEvent()
    {
        ulong count;
        Libc.read(_wakeFd, (byte*)&count, sizeof(ulong));
    }

    /// <summary>
    /// Whether the wake-up that just took <paramref name="took"/> ticks moves the loop to the pool:
    /// the thread slept in this batch, and not for a garbage collection (which stops every thread
    /// alike), and such sleeps add up to <see cref="BlockedShare"/> of the current second. A
    /// single short one is not enough: a cold worker's first requests wait on class loading and
    /// JIT compilation too (a few tens of milliseconds in all). Computing is left to the
    /// <see cref="LoopWatchdog"/>.
    /// </summary>
    private bool SleptIn(long before, int collections, long took)
    {
        if (ThreadUsage.VoluntarySwitches() == before || GC.CollectionCount(0) != collections)
        {
            return false;
        }

        long now = Stopwatch.GetTimestamp();
        if (IsWarmingUp(now))
        {
            return false;
        }

        if (now - _blockedSince > Stopwatch.Frequency)
        {
            _blockedSince = now;
            _blockedTicks = 0;
        }

        _blockedTicks += took;
        if (_blockedTicks < Stopwatch.Frequency * BlockedShare)
        {
            return false;
        }

        MoveToPool($"requests blocked the event loop for {Milliseconds(_blockedTicks)} ms within a second (the thread waited)");
        return true;
    }

    /// <summary>Whether the loop is within the warm-up it was started with (at <paramref name="now"/>, <see cref="Stopwatch"/> ticks).</summary>
    internal bool IsWarmingUp(long now)
    {
        long since = Volatile.Read(ref _servingSince);
        return _warmUpTicks > 0 && (since == 0 || now - since < _warmUpTicks);
    }

    /// <summary>When the wake-up the loop's thread is inside began (<see cref="Stopwatch"/> ticks), or 0 between wake-ups.</summary>
    internal long WakeStarted => Math.Max(Volatile.Read(ref _wakeStarted), 0);

    /// <summary>The operating system's id of the thread that runs the loop now.</summary>
    internal int ThreadId => Volatile.Read(ref _threadId);

    /// <summary>
    /// Called by the <see cref="LoopWatchdog"/> on the wake-up begun at <paramref name="wakeStarted"/>,
    /// which does not end: moves the loop to the pool and hands it to a new thread, which first
    /// serves what the stuck thread's batch still holds. False when that wake-up has ended after all.
    /// </summary>
    internal bool TakeOver(long wakeStarted, string reason)
    {
        // Claims the wake-up the watchdog saw: if it ended meanwhile, the thread is not stuck.
        if (wakeStarted == 0 || Interlocked.CompareExchange(ref _wakeStarted, TakenOver, wakeStarted) != wakeStarted)
        {
            return false;
        }

        _onPool = true;
        StartThread(Volatile.Read(ref _batch));

        // Connections posted behind the stuck one: their wake event was already taken.
        Interlocked.Exchange(ref _wakePending, 1);
        WriteWakeEvent();
        MoveToPool(reason);
        return true;
    }

    private void StartThread(ReadinessBatch? inherited) =>
        new Thread(Run) { IsBackground = true, Name = "gwserve event loop" }.Start(inherited);

    /// <summary>EPOLL_CTL_ADD with <paramref name="slot"/> as the event's data; false on failure (errno set).</summary>
    private static unsafe bool AddToEpoll(int epoll, int fd, uint events, int slot)
    {
        byte* @event = stackalloc byte[16];
        *(uint*)@event = events;
        *(ulong*)(@event + Libc.EpollDataOffset) = unchecked((uint)slot);
        return Libc.epoll_ctl(epoll, Libc.EPOLL_CTL_ADD, fd, @event) == 0;
    }

    private void MoveToPool(string reason)
    {
        _onPool = true;
        if (Interlocked.Exchange(ref _moved, 1) == 0)
        {
            _movedToPool?.Invoke(reason + "; requests run on the thread pool from now on");
        }
    }

    internal static long Milliseconds(long ticks) => ticks * 1000 / Stopwatch.Frequency;
}
