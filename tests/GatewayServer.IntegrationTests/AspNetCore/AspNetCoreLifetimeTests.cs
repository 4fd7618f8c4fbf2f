using System.Net.WebSockets;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;
using GatewayServer.IntegrationTests.WebSockets;

namespace GatewayServer.IntegrationTests.AspNetCore;

/// <summary>An ASP.NET Core app's host starts and stops with its worker: boot failures, graceful stop, and what a worker loads.</summary>
[Collection(MasterCollection.Name)]
public sealed class AspNetCoreLifetimeTests
{
    [Fact]
    public async Task TERM_runs_ApplicationStopping_and_the_hosted_services_stop_in_every_worker_and_exits_0()
    {
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(2);
        IReadOnlyList<int> workers = server.WorkerPids();
        workers.Should().HaveCount(2);

        server.Signal(ProcessSignals.Term);

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        foreach (int pid in workers)
        {
            server.Lines.Should().Contain(l => l.Contains($"ApplicationStopping ran in {pid}", StringComparison.Ordinal));
            server.Lines.Should().Contain(l => l.Contains($"hosted service stopping in {pid}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TERM_keeps_serving_an_open_WebSocket_after_ApplicationStopping_then_ends_it_at_the_graceful_timeout_and_exits()
    {
        using GwserveProcess server = await AspNetCoreAppServer.StartAsync(1, "--graceful-timeout", "3");
        int worker = server.WorkerPids().Single();
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/ws");

        server.Signal(ProcessSignals.Term);
        await server.WaitForLineAsync(l => l.Contains($"ApplicationStopping ran in {worker}", StringComparison.Ordinal));
        await socket.SendTextAsync("after ApplicationStopping");
        (await socket.ReceiveTextAsync()).Should().Be("after ApplicationStopping", "an open conversation is in flight and finishes within --graceful-timeout");

        // At the timeout the worker aborts the request (RequestAborted): the client sees the connection end.
        Func<Task> ended = () => socket.ReceiveMessageAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await ended.Should().ThrowAsync<WebSocketException>();
        await server.WaitForLineAsync(l => l.Contains("Graceful timeout (3s) reached with 1 connections open", StringComparison.Ordinal));
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        ProcessSignals.IsAlive(worker).Should().BeFalse();
    }

    [Fact]
    public async Task An_app_that_throws_at_start_up_fails_fast_with_one_line_naming_it_and_exit_code_4()
    {
        using GwserveProcess server = GwserveProcess.Launch(
            [AspNetCoreAppServer.Assembly, "--chdir", AspNetCoreAppServer.ContentRoot, "--bind", "127.0.0.1:0", "--workers", "2"],
            new Dictionary<string, string?> { ["FIXTURE_THROW_AT_STARTUP"] = "1" });

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(4);
        server.Lines.Should().ContainSingle(l => l.Contains("failed to boot", StringComparison.Ordinal)
            && l.Contains("AspNetCoreApp.dll", StringComparison.Ordinal)
            && l.Contains("System.InvalidOperationException: fixture start-up failure", StringComparison.Ordinal));
        server.Lines.Count(l => l.Contains("Booting worker", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(2, "a start-up failure is not respawned");
    }

    [Fact]
    public async Task Check_config_starts_and_stops_the_app_host_once_and_warns_once_that_the_apps_URLs_are_ignored()
    {
        using GwserveProcess check = GwserveProcess.Launch(
            [AspNetCoreAppServer.Assembly, "--chdir", AspNetCoreAppServer.ContentRoot, "--check-config"],
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://0.0.0.0:5555" });

        (await check.WaitForExitAsync(AspNetCoreAppServer.BootWait)).Should().Be(0, check.Output);
        check.Lines.Should().Contain(l => l.Contains("configuration OK", StringComparison.Ordinal));
        check.Lines.Should().ContainSingle(l => l.Contains("hosted service started in", StringComparison.Ordinal));
        check.Lines.Should().ContainSingle(l => l.Contains("ApplicationStopping ran in", StringComparison.Ordinal));
        check.Lines.Should().ContainSingle(l => l.Contains("the app's URLs (http://0.0.0.0:5555) are ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gateway_app_worker_loads_no_ASP_NET_Core_assembly_and_an_ASP_NET_Core_app_worker_does()
    {
        using (GwserveProcess gateway = await GwserveProcess.StartReadyAsync(RepositoryLayout.Sample("HelloApp") + ":App", 1))
        {
            string maps = await File.ReadAllTextAsync($"/proc/{gateway.WorkerPids().Single()}/maps");
            maps.Should().NotContain("Microsoft.AspNetCore").And.NotContain("GatewayServer.AspNetCore");
        }

        using GwserveProcess aspNetCore = await AspNetCoreAppServer.StartAsync(1);
        string appMaps = await File.ReadAllTextAsync($"/proc/{aspNetCore.WorkerPids().Single()}/maps");
        appMaps.Should().Contain("shared/Microsoft.AspNetCore.App/").And.Contain("GatewayServer.AspNetCore.dll");
    }
}
