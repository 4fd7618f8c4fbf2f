using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.AspNetCore;

/// <summary>A rolling reload of an ASP.NET Core app: new workers' hosts start before old ones retire.</summary>
[Collection(MasterCollection.Name)]
public sealed class AspNetCoreReloadTests
{
    [Fact]
    public async Task HUP_under_continuous_load_replaces_both_workers_without_a_failed_request()
    {
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(2);
        var client = new LoadClient(server.Port, "/pid");
        using var stop = new CancellationTokenSource();
        Task load = client.RunAsync(keepAliveLoops: 2, freshConnectionLoops: 2, stop.Token);

        server.Signal(ProcessSignals.Hup);
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 ", StringComparison.Ordinal), AspNetCoreAppServer.BootWait);
        await stop.CancelAsync();
        await load;

        client.Failures.Should().BeEmpty();
        client.Succeeded.Should().BeGreaterThan(10);
        (await Eventually.TrueAsync(() => server.Lines.Count(l => l.Contains("ApplicationStopping ran in", StringComparison.Ordinal)) == 2))
            .Should().BeTrue("each old worker stopped its app: " + server.Output);
    }
}
