using System.Globalization;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// The published gwserve (<see cref="PublishedGwserve"/>): a master compiled ahead of time that
/// starts its workers from gwserve-worker, and that serves, reloads, re-executes itself and stops
/// under real signals exactly as the development build's JIT master does.
/// </summary>
[Collection(NativeAotCollection.Name)]
public sealed class NativeAotMasterTests(PublishedGwserve published) : IClassFixture<PublishedGwserve>
{
    [Fact]
    public async Task The_published_master_runs_without_the_runtime_and_serves_from_gwserve_worker_processes()
    {
        string controlSocket = Path.Combine(Path.GetTempPath(), $"gwserve-aot-{Guid.NewGuid():N}.sock");
        using GwserveProcess server = await StartAsync(workers: 2, "--control-socket", controlSocket);

        ProcessImage.Maps(server.Pid).Should().NotContain(ProcessImage.Runtime, "the master is compiled ahead of time");
        IReadOnlyList<int> workers = server.WorkerPids();
        workers.Should().HaveCount(2);
        foreach (int worker in workers)
        {
            ProcessImage.Executable(worker).Should().Be(published.Worker);
            ProcessImage.Maps(worker).Should().Contain(ProcessImage.Runtime, "workers load apps, so they run on the JIT-capable runtime");
        }

        RawResponse response = await SupervisionApps.GetAsync(server.ListeningPorts[0], "/");
        response.Status.Should().Be(200);
        response.BodyText.Should().BeOneOf(workers.Select(w => $"pid {w}\n"));

        // gwserve ctl is the same native executable, talking to the master's control socket.
        ToolProcess.Result status = await ToolProcess.RunAsync(published.Master, ["ctl", "--socket", controlSocket, "status"]);
        status.ExitCode.Should().Be(0, status.Error);
        status.Output.Should().Contain("2 workers");
    }

    [Fact]
    public async Task HUP_replaces_the_workers_and_TERM_stops_the_published_master_with_status_0()
    {
        using GwserveProcess server = await StartAsync(workers: 1);
        int oldWorker = server.WorkerPids().Single();

        server.Signal(ProcessSignals.Hup);
        await server.WaitForReadyWorkersAsync(2);
        (await Eventually.TrueAsync(() => server.WorkerPids() is [int only] && only != oldWorker)).Should().BeTrue();
        RawResponse response = await SupervisionApps.GetAsync(server.ListeningPorts[0], "/");
        response.BodyText.Should().Be($"pid {server.WorkerPids().Single()}\n");

        server.Signal(ProcessSignals.Term);
        (await server.WaitForExitAsync()).Should().Be(0);
    }

    [Fact]
    public async Task USR2_re_executes_the_published_master_binary_on_the_same_sockets()
    {
        int successor = 0;
        try
        {
            using GwserveProcess server = await StartAsync(workers: 1);
            int oldWorker = server.WorkerPids().Single();

            server.Signal(12);
            successor = await SuccessorMaster.AwaitPidAsync(server);
            ProcessImage.Executable(successor).Should().Be(published.Master);
            await server.WaitForReadyWorkersAsync(2);
            server.Signal(ProcessSignals.Term);
            await server.WaitForLineAsync(l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
            (await Eventually.TrueAsync(() => server.HasExited)).Should().BeTrue();

            RawResponse response = await SupervisionApps.GetAsync(server.ListeningPorts[0], "/");
            response.Status.Should().Be(200);
            response.BodyText.Should().NotBe($"pid {oldWorker}\n");
            GwserveProcess.ChildrenOf(successor).Should().ContainSingle().Which.Should().Match(w => ProcessImage.Executable(w) == published.Worker);
        }
        finally
        {
            SuccessorMaster.Kill(successor);
        }
    }

    [Fact]
    public async Task Check_config_has_a_worker_load_the_app_and_reports_a_missing_one_in_one_line()
    {
        ToolProcess.Result ok = await ToolProcess.RunAsync(published.Master, [SupervisionApps.App, "--check-config"]);
        ok.ExitCode.Should().Be(0, ok.Error);
        ok.Output.Should().Contain("configuration OK; app");

        string missing = Path.Combine(Path.GetTempPath(), "no-such-app-" + Guid.NewGuid().ToString("N") + ".dll");
        ToolProcess.Result failed = await ToolProcess.RunAsync(published.Master, [missing, "--check-config"]);
        failed.ExitCode.Should().Be(1);
        failed.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("gwserve: error: ").And.Contain(Path.GetFileName(missing));
    }

    [Fact]
    public async Task A_published_gwserve_without_gwserve_worker_beside_it_refuses_to_start_in_one_line()
    {
        string alone = Path.Combine(Path.GetTempPath(), $"gwserve-alone-{Guid.NewGuid():N}");
        Directory.CreateDirectory(alone);
        try
        {
            string master = Path.Combine(alone, "gwserve");
            File.Copy(published.Master, master); // with its mode: executable

            ToolProcess.Result result = await ToolProcess.RunAsync(master, [SupervisionApps.App, "--bind", "127.0.0.1:0"]);

            result.ExitCode.Should().Be(1);
            result.Error.Trim().Split('\n').Should().ContainSingle()
                .Which.Should().Be($"gwserve: error: {Path.Combine(alone, "gwserve-worker")} is missing: a published gwserve starts its workers from it (publish src/GatewayServer.Cli, which puts both in one folder)");
        }
        finally
        {
            Directory.Delete(alone, recursive: true);
        }
    }

    private async Task<GwserveProcess> StartAsync(int workers, params string[] options)
    {
        GwserveProcess server = GwserveProcess.Launch(
            [SupervisionApps.App, "--bind", "127.0.0.1:0", "--workers", workers.ToString(CultureInfo.InvariantCulture), .. options],
            executable: published.Master);
        try
        {
            await server.WaitForReadyWorkersAsync(workers);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }
}
