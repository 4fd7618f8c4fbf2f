using System.Net.Sockets;
using GatewayServer.Logging;

namespace GatewayServer.Cli;

/// <summary>
/// Start-up work the master is about to need, done on a second core while the main thread builds
/// and parses the command line. Much of a .NET process's start-up is first-call cost (type loads,
/// ReadyToRun fixups, JIT of generic instantiations a ReadyToRun image cannot hold); paying it here
/// for the error log (the largest part: Serilog's first event, some 30 ms) and sockets takes it off
/// the path to the first worker's start, on a core that would otherwise sit idle.
/// </summary>
internal static class StartupWarmup
{
    private const string Discard = "/dev/null";

    public static void Begin()
    {
        // Where /dev/null is missing (a bare container), opening it would create a file.
        if (Environment.ProcessorCount < 2 || !File.Exists(Discard))
        {
            return;
        }

        new Thread(Run) { IsBackground = true, Name = "gwserve warm-up" }.Start();
    }

    private static void Run()
    {
        try
        {
            using (ErrorLog log = ErrorLog.Open(Discard, LogLevel.Info, json: false, workerId: null))
            {
                log.Info("Starting gwserve {version}", "0.0.0");
                log.Info($"Listening at: {"http://127.0.0.1:0"} ({Environment.ProcessId})");
            }

            // Unbound: the sockets code loads and initialises, and no port is taken even for an instant.
            new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp).Dispose();
        }
        catch (Exception)
        {
            // Only ever an optimisation: whatever failed here fails again, and is reported, where it is used for real.
        }
    }
}
