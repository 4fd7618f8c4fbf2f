namespace GatewayServer.Transport;

/// <summary>
/// How often the calling thread has given up the CPU of its own accord (slept, waited, blocked in
/// a system call), from getrusage(RUSAGE_THREAD): the event loop's sign that what it ran blocked.
/// </summary>
internal readonly record struct ThreadUsage(long VoluntarySwitches)
{
    private const int RusageThread = 1;

    /// <summary>The calling thread's count; zero when the call fails.</summary>
    public static unsafe ThreadUsage Current()
    {
        // struct rusage on 64-bit Linux: two timevals (user, system), then 14 longs; ru_nvcsw is the 13th.
        long* usage = stackalloc long[18];
        return Libc.getrusage(RusageThread, usage) == 0 ? new ThreadUsage(usage[16]) : default;
    }
}
