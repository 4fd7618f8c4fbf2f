using System.Reflection;
using System.Runtime.Loader;

namespace GatewayServer.Loading;

/// <summary>
/// The <see cref="AssemblyLoadContext"/> an application is loaded into. Its dependencies resolve
/// through its own <c>.deps.json</c> (and the files next to it), so an app can carry NuGet
/// packages of versions the server does not use; the contract assembly always resolves to the
/// host's copy, so the app's <see cref="IGatewayApplication"/> is the server's type.
/// </summary>
public sealed class AppLoadContext : AssemblyLoadContext
{
    private static readonly Assembly ContractAssembly = typeof(IGatewayApplication).Assembly;
    private static readonly string ContractAssemblyName = ContractAssembly.GetName().Name!;

    private readonly AssemblyDependencyResolver _resolver;

    /// <summary>Creates a context for the application whose main assembly is <paramref name="mainAssemblyPath"/>.</summary>
    /// <param name="mainAssemblyPath">The absolute path of the app's assembly; its <c>.deps.json</c> sits next to it.</param>
    /// <param name="isCollectible">
    /// <c>true</c> for a throwaway load (such as <c>--check-config</c>) that is unloaded afterwards;
    /// a serving worker keeps its app for life and does not pay for collectibility.
    /// </param>
    /// <exception cref="InvalidOperationException">The app's <c>.deps.json</c> cannot be read.</exception>
    public AppLoadContext(string mainAssemblyPath, bool isCollectible = false)
        : base($"gwserve app: {Path.GetFileName(mainAssemblyPath)}", isCollectible)
    {
        MainAssemblyPath = mainAssemblyPath;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    /// <summary>The app's main assembly.</summary>
    public string MainAssemblyPath { get; }

    /// <summary>
    /// Lets code in the default context load the app's assemblies by name. A program (an ASP.NET
    /// Core app) needs it: the framework, which lives in the default context, finds the app's
    /// controllers by loading the assembly its application name names (<c>Assembly.Load("MyWeb")</c>).
    /// </summary>
    public void ShareWithDefaultContext() =>
        Default.Resolving += (_, name) => _resolver.ResolveAssemblyToPath(name) is null ? null : LoadFromAssemblyName(name);

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The app's bin folder has its own GatewayServer.Abstractions.dll (it references the
        // package); loading that copy would make a second IGatewayApplication type the server
        // cannot cast to. Hand out the host's, whatever version the app was compiled against.
        if (string.Equals(assemblyName.Name, ContractAssemblyName, StringComparison.OrdinalIgnoreCase))
        {
            return ContractAssembly;
        }

        // Null falls through to the default context: framework assemblies, and whatever the
        // app's deps.json does not list. The ASP.NET Core framework, which gwserve does not run
        // on, is loaded into the default context too, once, so the app and gwserve share its types.
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? SharedFrameworks.LoadIntoDefault(assemblyName) : LoadFromAssemblyPath(path);
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
