using System.Globalization;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

[Collection(DeploymentCollection.Name)]
public sealed class SystemdTests
{
    [Fact]
    public async Task Under_systemd_socket_activate_gwserve_serves_on_the_passed_socket_and_binds_nothing_itself()
    {
        int port = DeploymentApps.FreePort();
        using GwserveProcess server = GwserveProcess.LaunchWrapped(
            ["systemd-socket-activate", "-l", $"127.0.0.1:{port}", "--fdname=web"],
            [DeploymentApps.Hello, "--bind", "127.0.0.1:0"]);
        await server.WaitForLineAsync(l => l.Contains($"Listening on 127.0.0.1:{port}", StringComparison.Ordinal));

        // systemd-socket-activate execs gwserve on the first connection; that connection is served.
        RawResponse response = await DeploymentApps.GetAsync(port);

        response.Status.Should().Be(200);
        response.BodyText.Should().Be("Hello, World!");
        server.Lines.Should().ContainSingle(l => l.Contains("Listening at: ", StringComparison.Ordinal))
            .Which.Should().Contain($"Listening at: http://127.0.0.1:{port} ({server.Pid}) (systemd socket web)");
        server.Lines.Should().Contain(l => l.Contains("--bind is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notify_socket_gets_ready_then_reloading_and_ready_around_a_hup_then_stopping_in_order()
    {
        using var notify = new NotifySocketListener();
        using GwserveProcess server = await GwserveProcess.StartAsync(DeploymentApps.Hello, new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Path });

        await notify.WaitForAsync(m => m.Contains("READY=1", StringComparison.Ordinal));
        server.Signal(ProcessSignals.Hup);
        string reloading = await notify.WaitForAsync(m => m.Contains("RELOADING=1", StringComparison.Ordinal));
        await notify.WaitForAsync(m => m.Contains("READY=1", StringComparison.Ordinal));
        server.Signal(ProcessSignals.Term);
        await notify.WaitForAsync(m => m.Contains("STOPPING=1", StringComparison.Ordinal));

        (await server.WaitForExitAsync()).Should().Be(0);
        long monotonic = long.Parse(reloading.Split('\n').Single(l => l.StartsWith("MONOTONIC_USEC=", StringComparison.Ordinal))["MONOTONIC_USEC=".Length..], CultureInfo.InvariantCulture);
        monotonic.Should().BePositive();
        notify.Messages.Should().Contain(m => m.Contains("STATUS=Serving with 1 workers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watchdog_pings_arrive_when_WATCHDOG_USEC_is_set()
    {
        using var notify = new NotifySocketListener();
        using GwserveProcess server = await GwserveProcess.StartAsync(DeploymentApps.Hello, new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "1000000",
        });

        await notify.WaitForAsync(m => m == "WATCHDOG=1", TimeSpan.FromSeconds(10));
        await notify.WaitForAsync(m => m == "WATCHDOG=1", TimeSpan.FromSeconds(10));
    }
}
