namespace GatewayServer.Master;

/// <summary>
/// How long to wait before starting a worker again after workers died while booting: 200 ms,
/// doubling per consecutive failure, at most 10 s. A worker that reports ready resets it. This is
/// what keeps a deploy that breaks the app (after the first boot) from becoming a hot spawn loop.
/// </summary>
public sealed class RespawnBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(10);

    private readonly MasterClock _clock;
    private long _nextAttemptAt;

    public RespawnBackoff(MasterClock clock)
    {
        _clock = clock;
    }

    public int ConsecutiveFailures { get; private set; }

    public bool MaySpawn => _clock.Now >= _nextAttemptAt;

    public static TimeSpan DelayAfter(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0)
        {
            return TimeSpan.Zero;
        }

        double milliseconds = First.TotalMilliseconds * Math.Pow(2, Math.Min(consecutiveFailures - 1, 16));
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, Maximum.TotalMilliseconds));
    }

    /// <summary>Records a boot failure; returns how long spawning now waits.</summary>
    public TimeSpan RecordFailure()
    {
        ConsecutiveFailures++;
        TimeSpan delay = DelayAfter(ConsecutiveFailures);
        _nextAttemptAt = _clock.Now + (long)delay.TotalMilliseconds;
        return delay;
    }

    public void Reset()
    {
        ConsecutiveFailures = 0;
        _nextAttemptAt = 0;
    }
}
