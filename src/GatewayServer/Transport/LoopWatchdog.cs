using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace GatewayServer.Transport;

/// <summary>
/// Watches an <see cref="LoopDispatch.Auto"/> loop for a wake-up that does not return: an
/// application that waits on something only another request can bring (a long poll released by a
/// later POST) would otherwise hold every connection on the loop, that later request included.
/// The loop checks itself after each wake-up; this thread covers the one that never ends,
/// looking every 10 ms while the loop is busy and every 100 ms while it waits for events. A
/// wake-up past <see cref="StuckLimit"/> counts as stuck when the thread sleeps in it, or has
/// computed for another <see cref="StuckLimit"/> since: a thread merely waiting for a CPU on a
/// busy machine is not stuck. The watch ends once the loop runs on the pool, which nothing blocks.
/// </summary>
internal sealed class LoopWatchdog
{
    /// <summary>How long one wake-up may hold the loop before it can count as stuck.</summary>
    public static readonly TimeSpan StuckLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The same within a loop's warm-up (an ASP.NET Core app's first seconds of serving): its
    /// first requests were seen to wait over two seconds on a loaded machine, loading the framework.
    /// </summary>
    public static readonly TimeSpan WarmUpStuckLimit = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>How often to look while the loop waits for events: an idle worker wakes ten times a second, not a hundred.</summary>
    private static readonly TimeSpan IdleCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly ReadinessLoop _loop;
    private long _suspectWake;
    private long _suspectCpuTicks;
    private TimeSpan _suspectCompiling;
    private long _sleepingWake;
    private int _sleepingCollections;
    private TimeSpan _sleepingCompiling;

    private LoopWatchdog(ReadinessLoop loop) => _loop = loop;

    public static void Start(ReadinessLoop loop)
    {
        var watchdog = new LoopWatchdog(loop);
        new Thread(watchdog.Run) { IsBackground = true, Name = "gwserve loop watchdog" }.Start();
    }

    private void Run()
    {
        while (!_loop.RunsOnPool)
        {
            Thread.Sleep(_loop.BusySince == 0 ? IdleCheckInterval : CheckInterval);
            Check();
        }
    }

    private void Check()
    {
        long started = _loop.WakeStarted;
        long now = Stopwatch.GetTimestamp();
        long took = now - started;
        TimeSpan limit = _loop.IsWarmingUp(now) ? WarmUpStuckLimit : StuckLimit;
        if (started == 0 || took < limit.TotalSeconds * Stopwatch.Frequency)
        {
            return;
        }

        if (!TryReadThread(_loop.ThreadId, out char state, out long cpuTicks))
        {
            return;
        }

        if (state is 'S' or 'D')
        {
            // Twice in a row, with no collection between: one look may land on a pause for a
            // garbage collection or a brief lock, which a computing request also goes through.
            // Nor while code is being compiled: a cold app's first requests wait on the JIT's and
            // the type loader's locks, which other threads hold while they compile.
            int collections = GC.CollectionCount(0);
            TimeSpan compiling = JitInfo.GetCompilationTime();
            if (_sleepingWake == started && _sleepingCollections == collections && _sleepingCompiling == compiling)
            {
                _loop.TakeOver(started, $"a request has blocked the event loop for {ReadinessLoop.Milliseconds(took)} ms (the thread waits)");
                return;
            }

            _sleepingWake = started;
            _sleepingCollections = collections;
            _sleepingCompiling = compiling;
            return;
        }

        _sleepingWake = 0;

        if (_suspectWake != started)
        {
            // Running: see whether it is computing (its CPU time grows) or only waiting for a CPU.
            _suspectWake = started;
            _suspectCpuTicks = cpuTicks;
            _suspectCompiling = JitInfo.GetCompilationTime();
            return;
        }

        // Time spent compiling (by any thread: an upper bound of the loop's own) is warm-up, not the app computing.
        double computed = ((cpuTicks - _suspectCpuTicks) * 1000.0 / ClockTicksPerSecond) - (JitInfo.GetCompilationTime() - _suspectCompiling).TotalMilliseconds;
        if (computed >= StuckLimit.TotalMilliseconds)
        {
            _loop.TakeOver(started, $"a request has held the event loop for {ReadinessLoop.Milliseconds(took)} ms of computing");
        }
    }

    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture .NET runs on.</summary>
    private const long ClockTicksPerSecond = 100;

    /// <summary>The thread's state letter and CPU time (user + system, in clock ticks) from /proc/self/task/TID/stat.</summary>
    private static bool TryReadThread(int threadId, out char state, out long cpuTicks)
    {
        state = '?';
        cpuTicks = 0;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        // After the command name in parentheses: state, then fields 4 onwards; utime and stime are fields 14 and 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 13)
        {
            return false;
        }

        state = fields[0][0];
        cpuTicks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return true;
    }
}
