namespace GatewayServer.Transport;

/// <summary>
/// The last precise clock read (<see cref="System.Diagnostics.Stopwatch"/> timestamp) on an
/// event-loop thread that measures: taken as each wake-up begins while an
/// <see cref="LoopDispatch.Auto"/> loop watches for blocking (which reads the clock there anyway),
/// and moved on by each request that ends on the thread. A request taken up in that wake-up begins
/// no earlier than that read, and at most the loop's bookkeeping later, so it serves as the
/// request's start without a read of its own: on a VM a read costs about as much as the rest of
/// the metrics together (docs/performance-analysis.md). Zero on every other thread, and on a loop
/// that does not watch, where a request reads the clock itself.
/// </summary>
internal static class LoopClock
{
    [ThreadStatic]
    private static long t_last;

    /// <summary>When a request taken up now began: the loop's last read, or a read of <paramref name="time"/> off the loop.</summary>
    public static long StartOfRequest(TimeProvider time) => t_last != 0 ? t_last : time.GetTimestamp();

    /// <summary>The request ended at <paramref name="timestamp"/>: on a loop thread, the next one begins from there.</summary>
    public static void RequestEnded(long timestamp)
    {
        if (t_last != 0)
        {
            t_last = timestamp;
        }
    }

    /// <summary>Called by the loop's thread as a wake-up begins.</summary>
    internal static void Woke(long timestamp) => t_last = timestamp;
}
