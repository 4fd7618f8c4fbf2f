using System.Reflection;

namespace GatewayServer.Loading;

/// <summary>
/// Loads the application an <see cref="AppTarget"/> designates: the assembly into its own
/// <see cref="AppLoadContext"/>, then the type or member named by the target.
/// </summary>
public static class AppLoader
{
    /// <summary>Loads <paramref name="target"/> into a new, non-collectible context, as a serving worker does.</summary>
    /// <exception cref="AppLoadException">Anything goes wrong; its <see cref="AppLoadException.ExitCode"/> says what.</exception>
    public static LoadedApplication Load(AppTarget target) => Load(target, collectible: false);

    /// <summary>
    /// Loads <paramref name="target"/> into a new context. With <paramref name="collectible"/>, the
    /// caller unloads <see cref="LoadedApplication.LoadContext"/> when done (e.g. after a config
    /// check); when loading fails, the context is unloaded here.
    /// </summary>
    /// <exception cref="AppLoadException">Anything goes wrong; its <see cref="AppLoadException.ExitCode"/> says what.</exception>
    public static LoadedApplication Load(AppTarget target, bool collectible)
    {
        ArgumentNullException.ThrowIfNull(target);
        string path = target.AssemblyPath;
        if (!File.Exists(path))
        {
            string detail = Directory.Exists(path) ? $"{path} is a directory, not an assembly file" : $"assembly {path} not found";
            throw new AppLoadException(AppLoadFailure.AssemblyNotFound, target.Text, detail);
        }

        AppLoadContext context;
        try
        {
            context = new AppLoadContext(path, collectible);
        }
        catch (InvalidOperationException e)
        {
            // The resolver reads the app's .deps.json; a broken one makes the app unloadable.
            throw new AppLoadException(AppLoadFailure.NotAnAssembly, target.Text,
                $"cannot read the dependency manifest of {path}: {e.Message}");
        }

        try
        {
            Assembly assembly = LoadMainAssembly(context, target);
            if (ProgramTarget.Match(target, assembly) is { } program)
            {
                // The default context may not hold on to a collectible context's assemblies.
                if (!collectible)
                {
                    context.ShareWithDefaultContext();
                }

                return program.WithLoadContext(context);
            }

            return new TargetResolver(target, assembly).Resolve().WithLoadContext(context);
        }
        catch when (collectible)
        {
            context.Unload();
            throw;
        }
    }

    private static Assembly LoadMainAssembly(AppLoadContext context, AppTarget target)
    {
        try
        {
            return context.LoadFromAssemblyPath(target.AssemblyPath);
        }
        catch (BadImageFormatException)
        {
            throw new AppLoadException(AppLoadFailure.NotAnAssembly, target.Text,
                $"{target.AssemblyPath} is not a .NET assembly");
        }
        catch (FileLoadException e)
        {
            throw new AppLoadException(AppLoadFailure.NotAnAssembly, target.Text,
                $"{target.AssemblyPath} could not be loaded: {e.Message}");
        }
    }
}
