namespace GatewayServer.Engine;

/// <summary>
/// The worker's thread pool, sized by <c>--threads</c> at both ends, and what that number counts:
/// threads that work, not threads waiting for a client. A synchronous application reading its
/// request body holds its thread while the body is in flight; left in the count, a few dozen
/// uploads that stall would hold every thread, and nothing else (the worker's heartbeat included)
/// would run. So while a pool thread waits for body bytes, the pool may run one more
/// (<see cref="BeginClientWait"/>), as .NET's pool itself does for a thread blocked in
/// <c>Task.Wait</c>, but past the cap. Such waits are bounded by <c>--body-timeout</c> and
/// <c>--min-request-body-rate</c>, and their number by <c>--worker-connections</c>. Process-wide
/// state, as the pool is; until <see cref="SetWorkingThreads"/> is called (unit tests) nothing changes.
/// </summary>
internal static class ThreadPoolBudget
{
    private static readonly Lock Gate = new();
    private static int s_working;
    private static int s_waiting;

    /// <summary>Sizes the pool at <paramref name="threads"/> working threads, both ends.</summary>
    public static void SetWorkingThreads(int threads)
    {
        lock (Gate)
        {
            int before = s_working + s_waiting;
            s_working = threads;
            Resize(before);
        }
    }

    /// <summary>
    /// The calling thread is about to wait for the client: when it is a pool thread, the pool may
    /// run another meanwhile. Returns whether it counted; pass that to <see cref="EndClientWait"/>.
    /// </summary>
    public static bool BeginClientWait()
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            return false;
        }

        lock (Gate)
        {
            if (s_working == 0)
            {
                return false;
            }

            s_waiting++;
            Resize(s_working + s_waiting - 1);
            return true;
        }
    }

    /// <summary>The wait begun by <see cref="BeginClientWait"/> is over.</summary>
    public static void EndClientWait(bool counted)
    {
        if (!counted)
        {
            return;
        }

        lock (Gate)
        {
            s_waiting--;
            Resize(s_working + s_waiting + 1);
        }
    }

    /// <summary>
    /// Sets the pool's minimum and maximum to the budget. Min equals max, so raising the minimum
    /// starts a thread at once for queued work (the pool's own injection adds one every half
    /// second or so). The maximum moves first when growing and last when shrinking, so min never
    /// exceeds max; a thread above a lowered maximum finishes its work item and stops.
    /// </summary>
    private static void Resize(int before)
    {
        int size = s_working + s_waiting;
        ThreadPool.GetMinThreads(out _, out int completionThreads);
        ThreadPool.GetMaxThreads(out _, out int maxCompletionThreads);
        if (size >= before)
        {
            ThreadPool.SetMaxThreads(size, maxCompletionThreads);
            ThreadPool.SetMinThreads(size, completionThreads);
        }
        else
        {
            ThreadPool.SetMinThreads(size, completionThreads);
            ThreadPool.SetMaxThreads(size, maxCompletionThreads);
        }
    }
}
