using GatewayServer.Configuration;
using GatewayServer.Loading;
using GatewayServer.Master;

namespace GatewayServer.Cli;

/// <summary>
/// <c>--check-config</c>: what start-up would trip over, found without starting. The settings have
/// already parsed; this checks the directory and log files they name, then loads the app in a
/// collectible context and unloads it again (a program, an ASP.NET Core app, is started and stopped
/// once). Exit 0, or 1 with one line saying why.
/// </summary>
internal static class ConfigCheck
{
    public static int Run(string app, ServerSettings settings)
    {
        string? description = null;
        string? problem = CheckPaths(settings) ?? CheckApp(app, settings, out description);
        if (problem is not null)
        {
            Console.Error.WriteLine($"gwserve: error: {problem}");
            return ExitCodes.StartupFailed;
        }

        Console.Out.WriteLine($"gwserve: configuration OK; app {description} loads");
        return ExitCodes.Success;
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

    private static string? CheckApp(string app, ServerSettings settings, out string? description)
    {
        description = null;
        string chdir = settings.Get(Settings.Chdir);
        string baseDirectory = chdir.Length > 0 ? Path.GetFullPath(chdir) : Directory.GetCurrentDirectory();
        try
        {
            AppTarget target = AppTarget.Parse(app, baseDirectory);
            LoadedApplication loaded = AppLoader.Load(target, collectible: true);
            description = loaded.Description;
            if (loaded.Kind == ApplicationKind.Host)
            {
                // The framework, in the default context, loads the app's assembly by name, which a
                // collectible context cannot lend it: a program is checked in a context for keeps.
                loaded.LoadContext.Unload();
                loaded = AppLoader.Load(target);
                // A program (an ASP.NET Core app) is known to start only once its host has started,
                // in its content root, as a worker would start it.
                Directory.SetCurrentDirectory(baseDirectory);
                Worker.ApplicationHostLoader.StartAndStop(loaded, app, settings);
                return null;
            }

            loaded.LoadContext.Unload();
            return null;
        }
        catch (AppLoadException error)
        {
            return error.Message;
        }
    }
}
