using System.Globalization;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>The CPU time a process has used so far, user and system, from <c>/proc/PID/stat</c>.</summary>
public static class ProcessCpuTime
{
    /// <summary>The kernel's clock ticks per second for these fields (USER_HZ, 100 on Linux whatever the kernel's HZ).</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // After "pid (comm) ", whose comm may hold spaces: state is field 3, utime 14 and stime 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
