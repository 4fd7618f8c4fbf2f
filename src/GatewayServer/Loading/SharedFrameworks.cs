using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace GatewayServer.Loading;

/// <summary>
/// Resolves assemblies of the shared frameworks gwserve itself does not run on (the ASP.NET Core
/// framework, <c>shared/Microsoft.AspNetCore.App/VERSION/</c>), from the installation of the runtime
/// that is running. gwserve's runtimeconfig names only <c>Microsoft.NETCore.App</c>, so that a
/// worker serving a gateway app never loads ASP.NET Core; and <see cref="AssemblyDependencyResolver"/>
/// does not resolve shared frameworks. A framework assembly is loaded once, into the default
/// context, so that the app's context and gwserve's <c>GatewayServer.AspNetCore</c> share its types.
/// </summary>
public static class SharedFrameworks
{
    private const string AspNetCore = "Microsoft.AspNetCore.App";

    private static readonly Lazy<Dictionary<string, string>> Assemblies = new(FindAssemblies);
    private static readonly object LoadLock = new();
    private static int _installed;

    /// <summary>The folder the ASP.NET Core framework is taken from, or null when it is not installed.</summary>
    public static string? AspNetCoreDirectory { get; } = FindFrameworkDirectory(AspNetCore);

    /// <summary>
    /// Makes the default context resolve shared-framework assemblies it cannot find on its own
    /// (once per process; nothing is loaded until something asks).
    /// </summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += OnDefaultResolving;
        }
    }

    /// <summary>
    /// The framework assembly <paramref name="name"/> as the default context has it: gwserve's own
    /// copy when gwserve ships one (its Microsoft.Extensions packages), else the framework's, loaded
    /// there once. Null when <paramref name="name"/> is no framework assembly.
    /// </summary>
    public static Assembly? LoadIntoDefault(AssemblyName name)
    {
        if (name.Name is not { } simple || !Assemblies.Value.ContainsKey(simple))
        {
            return null;
        }

        Install();
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyName(name);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static Assembly? OnDefaultResolving(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is not { } simple || !Assemblies.Value.TryGetValue(simple, out string? path))
        {
            return null;
        }

        lock (LoadLock)
        {
            foreach (Assembly loaded in context.Assemblies)
            {
                if (string.Equals(loaded.GetName().Name, simple, StringComparison.OrdinalIgnoreCase))
                {
                    return loaded;
                }
            }

            return context.LoadFromAssemblyPath(path);
        }
    }

    private static Dictionary<string, string> FindAssemblies()
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AspNetCoreDirectory is { } directory)
        {
            foreach (string file in Directory.EnumerateFiles(directory, "*.dll"))
            {
                found[Path.GetFileNameWithoutExtension(file)] = file;
            }
        }

        return found;
    }

    /// <summary>
    /// <c>shared/NAME/V</c> beside the running <c>shared/Microsoft.NETCore.App/V</c>: the same
    /// version when installed (the two ship together), else the newest of the same major.minor,
    /// as the host's roll-forward to the latest patch would pick.
    /// </summary>
    private static string? FindFrameworkDirectory(string framework)
    {
        string runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        string? shared = Path.GetDirectoryName(Path.GetDirectoryName(runtime));
        if (shared is null)
        {
            return null;
        }

        string root = Path.Combine(shared, framework);
        string runningVersion = Path.GetFileName(runtime);
        string same = Path.Combine(root, runningVersion);
        if (Directory.Exists(same))
        {
            return same;
        }

        if (!Directory.Exists(root) || !Version.TryParse(runningVersion.Split('-')[0], out Version? running))
        {
            return null;
        }

        string? best = null;
        Version? bestVersion = null;
        foreach (string candidate in Directory.EnumerateDirectories(root))
        {
            if (Version.TryParse(Path.GetFileName(candidate).Split('-')[0], out Version? version)
                && version.Major == running.Major && version.Minor == running.Minor
                && (bestVersion is null || version > bestVersion))
            {
                (best, bestVersion) = (candidate, version);
            }
        }

        return best;
    }
}
