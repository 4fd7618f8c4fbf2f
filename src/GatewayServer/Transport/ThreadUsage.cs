namespace GatewayServer.Transport;

/// <summary>
/// What getrusage(RUSAGE_THREAD) tells of the calling thread: how often it has given up the CPU
/// of its own accord (slept, waited, blocked in a system call), the event loop's sign that what it
/// ran blocked.
/// </summary>
internal static class ThreadUsage
{
    private const int RusageThread = 1;

    /// <summary>The calling thread's voluntary context switches so far; zero when the call fails.</summary>
    public static unsafe long VoluntarySwitches()
    {
        // struct rusage on 64-bit Linux: two timevals (user, system), then 14 longs; ru_nvcsw is the 13th.
        long* usage = stackalloc long[18];
        return Libc.getrusage(RusageThread, usage) == 0 ? usage[16] : 0;
    }
}
