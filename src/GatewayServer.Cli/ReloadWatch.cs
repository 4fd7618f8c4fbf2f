using GatewayServer.Configuration;
using GatewayServer.Loading;

namespace GatewayServer.Cli;

/// <summary>What <c>--reload</c> watches: the folder the app assembly is built into, and the extra globs.</summary>
internal static class ReloadWatch
{
    public static IReadOnlyList<string> PathsFor(string app, ServerSettings settings)
    {
        if (!settings.Get(Settings.Reload))
        {
            return [];
        }

        string baseDirectory = settings.Get(Settings.Chdir) is { Length: > 0 } chdir ? Path.GetFullPath(chdir) : Directory.GetCurrentDirectory();
        var paths = new List<string>();
        try
        {
            paths.Add(Path.GetDirectoryName(AppTarget.Parse(app, baseDirectory).AssemblyPath)!);
        }
        catch (AppLoadException)
        {
            // The workers report a bad target themselves; there is nothing to watch.
        }

        foreach (string glob in settings.Get(Settings.ReloadExtraFile))
        {
            paths.Add(Path.IsPathRooted(glob) ? glob : Path.Combine(baseDirectory, glob));
        }

        return paths;
    }
}
