using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

[Collection(DeploymentCollection.Name)]
public sealed class ContainerTests
{
    [RootFact]
    public async Task As_PID_1_gwserve_reaps_orphans_and_exits_0_on_SIGTERM()
    {
        using GwserveProcess server = GwserveProcess.LaunchWrapped(
            ["unshare", "--pid", "--fork", "--mount-proc"],
            [DeploymentApps.Supervision, "--bind", "127.0.0.1:0", "--log-level", "debug"],
            ownPidNamespace: true);
        await server.WaitForReadyWorkersAsync(1);
        int master = GwserveProcess.ChildrenOf(server.Pid).Single();
        NamespacePid(master).Should().Be(1);

        RawResponse response = await DeploymentApps.GetAsync(server.ListeningPorts[0], "/orphan");
        int orphan = int.Parse(response.BodyText.Trim().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        // The orphan is PID 1's child now; once its sleep ends it must not stay behind as a zombie.
        GwserveProcess.ChildrenOf(master).Select(NamespacePid).Should().Contain(orphan, "the orphan was handed to PID 1");
        (await Master.Eventually.TrueAsync(() => !GwserveProcess.ChildrenOf(master).Select(NamespacePid).Contains(orphan), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("PID 1 reaps the orphan once it exits");
        GwserveProcess.ChildrenOf(master).Should().OnlyContain(pid => ProcessSignals.IsAlive(pid), "no child of PID 1 is left a zombie");
        ProcessSignals.Send(master, ProcessSignals.Term).Should().BeTrue();
        (await server.WaitForExitAsync()).Should().Be(0, "unshare exits with PID 1's status");
        server.Lines.Should().Contain(l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_are_still_served_during_the_shutdown_delay_after_SIGTERM()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1, "--shutdown-delay", "2");
        var clock = Stopwatch.StartNew();

        server.Signal(ProcessSignals.Term);
        await server.WaitForLineAsync(l => l.Contains("Shutdown delay: serving 2s more", StringComparison.Ordinal));
        RawResponse during = await DeploymentApps.GetAsync(server.Port);
        await server.WaitForLineAsync(l => l.Contains("Shutdown delay over; draining", StringComparison.Ordinal));

        during.Status.Should().Be(200);
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5));
        (await server.WaitForExitAsync()).Should().Be(0);
    }

    /// <summary>The pid a process has inside its own PID namespace (the last NSpid field).</summary>
    private static int NamespacePid(int pid)
    {
        try
        {
            return int.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("NSpid:", StringComparison.Ordinal))
                .Split('\t', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1; // gone (reaped) while we looked
        }
    }
}
