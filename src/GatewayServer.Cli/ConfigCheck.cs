using GatewayServer.Configuration;
using GatewayServer.Master;

namespace GatewayServer.Cli;

/// <summary>
/// <c>--check-config</c>: what start-up would trip over, found without starting. The settings have
/// already parsed; this checks the directory and log files they name, then has a worker process
/// load the app in a collectible context and unload it again (<see cref="AppLoadCheck"/>: the
/// master never loads apps). Exit 0, or 1 with one line saying why.
/// </summary>
internal static class ConfigCheck
{
    public static int Run(string app, ServerSettings settings)
    {
        string? problem = CheckPaths(settings);
        if (problem is not null)
        {
            Console.Error.WriteLine($"gwserve: error: {problem}");
            return ExitCodes.StartupFailed;
        }

        // The worker prints the verdict, "configuration OK; app ... loads" or the reason it does not.
        return AppLoadCheck.Run(app, settings);
    }

    private static string? CheckPaths(ServerSettings settings)
    {
        string chdir = settings.Get(Settings.Chdir);
        if (chdir.Length > 0 && !Directory.Exists(chdir))
        {
            return $"{Settings.Chdir.Name}: directory {chdir} does not exist";
        }

        foreach (Setting<string> log in (Setting<string>[])[Settings.ErrorLogfile, Settings.AccessLogfile])
        {
            string path = settings.Get(log);
            if (path.Length == 0 || path == Logging.LogFile.StandardStreamName)
            {
                continue;
            }

            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null && !Directory.Exists(directory))
            {
                return $"{log.Name}: directory {directory} does not exist";
            }
        }

        return null;
    }
}
