using System.Diagnostics;
using System.Globalization;
using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// The app half of <c>--check-config</c>. The master never loads apps (a published one cannot: it
/// is compiled ahead of time), so a worker process started for this alone receives the target and
/// settings as every worker does, loads the app once in a throwaway context, prints its verdict
/// (one line, on its standard output or error, which are the master's) and exits 0 or 1.
/// </summary>
public static class AppLoadCheck
{
    /// <summary>Runs the check in a worker process: 0 when the app loads, 1 when it does not (or the worker died).</summary>
    public static int Run(string target, ServerSettings settings)
    {
        (ControlChannel control, int childEnd) = ControlChannel.CreatePair();
        using (control)
        {
            Process process;
            try
            {
                Libc.SetInheritable(childEnd, true);
                ProcessStartInfo info = WorkerExecutable.StartInfo();
                info.ArgumentList.Add("check");
                info.ArgumentList.Add(target);
                info.Environment[WorkerEnvironment.ControlDescriptor] = childEnd.ToString(CultureInfo.InvariantCulture);
                info.Environment[WorkerEnvironment.CheckOnly] = "1";
                process = Process.Start(info) ?? throw new InvalidOperationException("the checking worker did not start");
            }
            finally
            {
                Libc.close(childEnd);
            }

            using (process)
            {
                foreach (string line in new WorkerHandshake(0, target, settings).ToLines())
                {
                    control.TrySend(line);
                }

                process.WaitForExit();
                return process.ExitCode == ExitCodes.Success ? ExitCodes.Success : ExitCodes.StartupFailed;
            }
        }
    }
}
