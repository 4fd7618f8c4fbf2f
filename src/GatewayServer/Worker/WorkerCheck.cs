using System.Globalization;
using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Loading;

namespace GatewayServer.Worker;

/// <summary>
/// The worker side of <c>--check-config</c>: a worker process started only to load the app in a
/// collectible context and unload it again (a program, an ASP.NET Core app, is started and stopped
/// once). It prints one line, the verdict, and exits 0, or 1 with the reason.
/// </summary>
public static class WorkerCheck
{
    private const int Failed = 1;

    /// <summary>Whether the master started this worker process for the check alone.</summary>
    public static bool IsRequested => Environment.GetEnvironmentVariable(WorkerEnvironment.CheckOnly) is not null;

    public static async Task<int> RunAsync()
    {
        int descriptor = int.Parse(Environment.GetEnvironmentVariable(WorkerEnvironment.ControlDescriptor)!, CultureInfo.InvariantCulture);
        Environment.SetEnvironmentVariable(WorkerEnvironment.ControlDescriptor, null);
        Environment.SetEnvironmentVariable(WorkerEnvironment.CheckOnly, null);
        WorkerHandshake handshake;
        using (ControlChannel control = ControlChannel.FromDescriptor(descriptor))
        {
            handshake = await WorkerHandshake.ReadAsync(control).ConfigureAwait(false);
        }

        string? problem = CheckApp(handshake.Target, handshake.Settings, out string? description);
        if (problem is not null)
        {
            Console.Error.WriteLine($"gwserve: error: {problem}");
            return Failed;
        }

        Console.Out.WriteLine($"gwserve: configuration OK; app {description} loads");
        return 0;
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
                ApplicationHostLoader.StartAndStop(loaded, app, settings);
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
