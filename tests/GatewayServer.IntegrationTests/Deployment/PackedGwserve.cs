using System.Xml.Linq;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Templates;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// gwserve's packages as <c>dotnet pack</c> makes them, in artifacts/test-packages: the contract
/// GatewayServer.Abstractions, the template package, and the tool, which is three packages: the
/// pointer <c>gwserve</c>, <c>gwserve.linux-x64</c> (the NativeAOT master with gwserve-worker) and
/// <c>gwserve.any</c> (the JIT gwserve, framework-dependent). The tool's RID packages are builds of
/// their own, one of them a NativeAOT compile of a minute or two, so the packing happens once per
/// test run, for whichever class of the NativeAOT collection asks first.
/// </summary>
public sealed class PackedGwserve : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task> Packing = new(PackAsync);

    public static string Directory { get; } = Path.Combine(RepositoryLayout.Root, "artifacts", "test-packages");

    /// <summary>The version every package of the repository has.</summary>
    public static string Version { get; } =
        XDocument.Load(Path.Combine(RepositoryLayout.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    public Task InitializeAsync() => Packing.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// An environment for dotnet in which nothing of the machine's changes: its own dotnet home and
    /// NuGet package folder under <paramref name="root"/> (so a repacked version never meets a stale
    /// copy in the NuGet cache).
    /// </summary>
    public static Dictionary<string, string> IsolatedEnvironment(string root) => new()
    {
        ["DOTNET_CLI_HOME"] = Path.Combine(root, "home"),
        ["NUGET_PACKAGES"] = Path.Combine(root, "nuget-packages"),
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>
    /// <c>dotnet tool install --tool-path</c> of the gwserve tool from <paramref name="source"/>
    /// into root/tools, in <see cref="IsolatedEnvironment"/>; returns the installed command's path.
    /// </summary>
    public static async Task<string> InstallToolAsync(string root, string source)
    {
        string tools = Path.Combine(root, "tools");
        await DotnetCommand.RunAsync(root, IsolatedEnvironment(root), InstallTimeout,
            "tool", "install", "--tool-path", tools, "gwserve", "--add-source", source, "--version", Version);
        return Path.Combine(tools, "gwserve");
    }

    private static async Task PackAsync()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        string configuration = RepositoryLayout.Configuration == "debug" ? "Debug" : "Release";
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" };
        foreach (string packable in new[] { "src/GatewayServer.Abstractions", "templates/GatewayServer.Templates.csproj", "src/GatewayServer.Cli" })
        {
            // The test run has built them: pack what was built, never rebuild under running tests. The
            // tool's RID packages are built all the same (the Cli project's PackToolRuntimePackages), in
            // output folders of their own. No build server or node reuse: nothing may outlive the pack.
            await DotnetCommand.RunAsync(RepositoryLayout.Root, environment, PackTimeout,
                "pack", packable, "-c", configuration, "--no-build", "-o", Directory, "-nodeReuse:false", "-p:UseSharedCompilation=false");
        }
    }
}
