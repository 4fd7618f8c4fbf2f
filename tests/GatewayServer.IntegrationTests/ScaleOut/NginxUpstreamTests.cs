using System.Diagnostics;
using GatewayServer.IntegrationTests.Deployment;
using GatewayServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// Three gwserve hosts behind a real nginx running docs/deploy/nginx-upstream.conf in the hosts' lan
/// namespace: nginx has no active checks, so only proxy_next_upstream keeps GETs from failing while
/// a host stops or dies.
/// </summary>
[Collection(DeploymentCollection.Name)]
public sealed class NginxUpstreamTests(ITestOutputHelper output)
{
    private const int RequestsBetweenSteps = 150;

    [NetworkNamespaceFact]
    public async Task Behind_nginx_a_host_stopped_with_SIGTERM_and_started_again_then_a_host_killed_fail_no_GET()
    {
        using ScaleOutCluster cluster = await ScaleOutCluster.StartAsync(haproxy: false);
        using NamespacedNginx nginx = await NamespacedNginx.StartAsync(cluster.FilesDirectory, cluster.Lan);
        await using LoadClient load = LoadClient.Start(new Uri($"http://{HostNetwork.LanAddress}:{NamespacedNginx.Port}/"), HttpMethod.Get, 4, cluster.Lan);
        await load.WaitForMoreRequestsAsync(RequestsBetweenSteps);

        cluster.Host(0).Signal(ProcessSignals.Term);
        (await cluster.Host(0).WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0);
        await load.WaitForMoreRequestsAsync(RequestsBetweenSteps);
        await cluster.StartHostAsync(0, "--env", "BUILD=2");
        await load.WaitForMoreRequestsAsync(RequestsBetweenSteps);

        long killed = Stopwatch.GetTimestamp();
        cluster.KillHost(1);
        await load.WaitForMoreRequestsAsync(RequestsBetweenSteps);
        await load.StopAsync();

        output.WriteLine($"nginx upstream, SIGTERM + restart of host 1, then kill -9 of host 2: {load.Describe()}; {Stopwatch.GetElapsedTime(killed).TotalMilliseconds:0} ms of load after the kill");
        load.Failures.Should().Be(0, $"{load.Describe()}\n{cluster.Describe()}");
    }
}
