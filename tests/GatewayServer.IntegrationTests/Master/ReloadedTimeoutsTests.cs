using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

/// <summary>
/// A HUP that changes the timeouts applies them to the new generation; the workers it retires are
/// still judged by the values they were started with.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class ReloadedTimeoutsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gwserve-reloaded-timeouts-");

    [Fact]
    public async Task An_old_worker_keeps_its_own_graceful_timeout_when_a_HUP_shortens_it()
    {
        string config = Path.Combine(_directory.FullName, "gwserve.json");
        await File.WriteAllTextAsync(config, """{ "graceful-timeout": 30 }""");
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "-c", config);
        int oldWorker = server.WorkerPids().Single();
        using RawHttpConnection slow = await RawHttpConnection.OpenAsync(server.Port);
        await slow.SendAsync("GET /sleep?ms=5000 HTTP/1.1\r\nHost: localhost\r\n\r\n");

        // 1 s (plus the master's 2 s of slack) is shorter than the request in flight; 30 s is not.
        await File.WriteAllTextAsync(config, """{ "graceful-timeout": 1 }""");
        server.Signal(ProcessSignals.Hup);
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 ", StringComparison.Ordinal));

        RawResponse response = await slow.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
        response.BodyText.Should().Be($"pid {oldWorker}\n", server.Output);
        server.Output.Should().NotContain("did not stop in time");
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
