using System.Runtime.InteropServices;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Templates;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// gwserve as <c>dotnet publish</c> ships it: the NativeAOT master <c>gwserve</c> with the
/// ReadyToRun <c>gwserve-worker</c> beside it, in artifacts/publish/gwserve (where bench/run
/// measures it). Published once per test run; the publish is incremental, so an up-to-date one
/// costs only the up-to-date checks.
/// </summary>
public sealed class PublishedGwserve : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    public string Directory { get; } = Path.Combine(RepositoryLayout.Root, "artifacts", "publish", "gwserve");

    public string Master => Path.Combine(Directory, "gwserve");

    public string Worker => Path.Combine(Directory, "gwserve-worker");

    public async Task InitializeAsync()
    {
        // No build server or node reuse: the publish must leave no process behind in the test run.
        await DotnetCommand.RunAsync(RepositoryLayout.Root, new Dictionary<string, string>(), PublishTimeout,
            "publish", "src/GatewayServer.Cli", "-c", RepositoryLayout.Configuration, "-r", RuntimeInformation.RuntimeIdentifier,
            "-o", Directory, "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
