using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>
/// How a busy loop thread shares its CPU in short turns. When a worker's loop always has requests
/// waiting it never blocks in <c>epoll_wait</c>, and Linux then switches it with another runnable
/// thread on the same CPU (another worker's loop, the load balancer's or proxy's process, the
/// client on the same machine) only at a scheduler tick: 4 ms at the common HZ=250. Every
/// connection of the thread that waits meanwhile waits the whole tick, which is the long tail of a
/// pre-fork server on a machine with more busy processes than cores. A thread pool hides this,
/// since any of its threads can serve any connection; a worker's loop cannot. So the loop asks for
/// the shortest slice the scheduler offers (EEVDF's custom slice, Linux 6.12 and later; older
/// kernels ignore it), and after a batch of more than one event it yields, which returns at once
/// when nothing else wants the CPU. Measured on 2 cores with the client beside the server
/// (docs/performance-analysis.md): an ASP.NET Core app's p90 under load fell from 3.7 to 2.4 ms
/// and its p99 from 6.9 to 5.3 ms, at the same throughput.
/// </summary>
internal static partial class LoopCpuSharing
{
    /// <summary>The shortest slice EEVDF accepts for a normal thread, in nanoseconds.</summary>
    private const ulong ShortestSliceNanoseconds = 100_000;


    /// <summary>Asks for short turns on the calling thread; a kernel that cannot is left as it is.</summary>
    public static unsafe void RequestShortSlice()
    {
        // sched_setattr has no libc wrapper; its number differs by architecture.
        long syscallNumber = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 314,
            Architecture.Arm64 => 274,
            _ => 0,
        };
        if (!OperatingSystem.IsLinux() || syscallNumber == 0)
        {
            return;
        }

        var attributes = new SchedAttributes
        {
            Size = (uint)sizeof(SchedAttributes),
            Policy = 0,
            Runtime = ShortestSliceNanoseconds,
        };
        _ = syscall(syscallNumber, 0, &attributes, 0);
    }

    /// <summary>Lets another runnable thread on this CPU have a turn after a batch of <paramref name="served"/> events.</summary>
    public static void YieldAfter(int served)
    {
        if (served > 1)
        {
            _ = sched_yield();
        }
    }

    [LibraryImport("libc")]
    private static partial int sched_yield();

    [LibraryImport("libc")]
    private static unsafe partial long syscall(long number, int thread, SchedAttributes* attributes, uint flags);

    /// <summary>Linux's <c>struct sched_attr</c> (its first version, 48 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttributes
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }
}
