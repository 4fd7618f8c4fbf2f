using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed partial class RollingReloadTests
{
    [Fact]
    public async Task Three_HUPs_under_continuous_load_replace_every_worker_without_a_failed_request()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 2);
        int[] first = [.. BootedPids(server, generation: 1)];
        var client = new LoadClient(server.Port);
        using var stop = new CancellationTokenSource();
        Task load = client.RunAsync(keepAliveLoops: 4, freshConnectionLoops: 4, stop.Token);

        for (int generation = 2; generation <= 4; generation++)
        {
            await Task.Delay(500);
            server.Signal(ProcessSignals.Hup);
            await server.WaitForLineAsync(l => l.Contains($"Reload complete: generation {generation} ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }

        await Task.Delay(500);
        await stop.CancelAsync();
        await load;

        client.Failures.Should().BeEmpty();
        client.Succeeded.Should().BeGreaterThan(1000);
        int[] last = [.. BootedPids(server, generation: 4)];
        last.Should().HaveCount(2).And.NotIntersectWith(first);
        (await Eventually.TrueAsync(() => server.WorkerPids().Order().SequenceEqual(last.Order()))).Should().BeTrue(server.Output);
        client.Bodies.Keys.Should().Contain(last.Select(pid => $"pid {pid}\n"));
    }

    [Fact]
    public async Task HUP_after_the_app_was_replaced_by_a_broken_one_keeps_the_old_workers_serving()
    {
        string folder = Directory.CreateTempSubdirectory("gwserve-broken-").FullName;
        try
        {
            foreach (string file in Directory.EnumerateFiles(Path.GetDirectoryName(SupervisionApps.Dll)!))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            string dll = Path.Combine(folder, "SupervisionApps.dll");
            using GwserveProcess server = await GwserveProcess.StartReadyAsync(dll + ":App", 2);
            int[] serving = [.. server.WorkerPids().Order()];

            // A new file (new inode): the running workers keep the image they loaded.
            File.Delete(dll);
            File.WriteAllBytes(dll, "this is not an assembly"u8.ToArray());
            server.Signal(ProcessSignals.Hup);

            string failed = await server.WaitForLineAsync(l => l.Contains("Reload failed", StringComparison.Ordinal));
            failed.Should().Contain("generation 1 keeps serving");
            for (int i = 0; i < 10; i++)
            {
                (await SupervisionApps.GetAsync(server.Port, "/")).Status.Should().Be(200);
            }

            (await Eventually.TrueAsync(() => server.WorkerPids().Order().SequenceEqual(serving))).Should().BeTrue(server.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<int> BootedPids(GwserveProcess server, int generation) =>
        server.Lines.Select(l => BootLine().Match(l))
            .Where(m => m.Success && m.Groups[2].Value == generation.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Booting worker with pid: (\d+) \(generation (\d+)")]
    private static partial Regex BootLine();
}
