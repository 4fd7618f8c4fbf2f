using System.Globalization;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

/// <summary>The master a USR2 started: its pid from the old master's log line, and its end, by pid, with its workers.</summary>
public static partial class SuccessorMaster
{
    /// <summary>Waits for the "Re-executing: new master pid N" line and returns N.</summary>
    public static async Task<int> AwaitPidAsync(GwserveProcess server)
    {
        string line = await server.WaitForLineAsync(l => l.Contains("Re-executing: new master pid", StringComparison.Ordinal));
        return int.Parse(NewMaster().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the new master and its workers (0: none was started).</summary>
    public static void Kill(int pid)
    {
        if (pid == 0)
        {
            return;
        }

        foreach (int worker in GwserveProcess.ChildrenOf(pid))
        {
            ProcessSignals.Send(worker, ProcessSignals.Kill);
        }

        ProcessSignals.Send(pid, ProcessSignals.Kill);
    }

    [GeneratedRegex(@"new master pid (\d+)")]
    private static partial Regex NewMaster();
}
