using System.Diagnostics;
using System.Globalization;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// Three (or fewer) gwserve hosts, each in its own network namespace (<see cref="HostNetwork"/>), behind
/// a real HAProxy running docs/deploy/haproxy.cfg. Each host is a gwserve master started with
/// <c>setsid</c>, so that it leads its own process group, as it would on its own machine. Dispose kills
/// every process, then removes the namespaces, whatever state a failed test left them in.
/// </summary>
public sealed class ScaleOutCluster : IDisposable
{
    public const int AppPort = 8000;
    public const int MetricsPort = 9000;

    /// <summary>The seconds a host keeps serving after SIGTERM while /readyz says 503 and HAProxy takes it out.</summary>
    public static readonly TimeSpan ShutdownDelay = TimeSpan.FromSeconds(2);

    /// <summary>HAProxy's check interval times its fall count, as in docs/deploy/haproxy.cfg.</summary>
    public static readonly TimeSpan ChecksToMarkDown = TimeSpan.FromMilliseconds(2 * 200);

    private static readonly TimeSpan StateChangeWait = TimeSpan.FromSeconds(20);

    private readonly TemporaryDirectory _directory = new("gwserve-scaleout-");
    private readonly HostNetwork _network;
    private readonly GwserveProcess?[] _hosts;
    private HAProxyProcess? _haproxy;

    private ScaleOutCluster(HostNetwork network, int hosts)
    {
        _network = network;
        _hosts = new GwserveProcess?[hosts];
    }

    public int HostCount => _hosts.Length;

    public HAProxyProcess HAProxy => _haproxy ?? throw new InvalidOperationException("HAProxy is not started");

    public Uri Frontend => new($"http://127.0.0.1:{HAProxy.Port}/");

    /// <summary>The namespace the balancer's connections start in.</summary>
    public string Lan => _network.Lan;

    /// <summary>A temporary directory for the balancer's files, removed with the cluster.</summary>
    public string FilesDirectory => _directory.Path;

    /// <summary>Starts the hosts and, with <paramref name="haproxy"/>, HAProxy in front of them.</summary>
    public static async Task<ScaleOutCluster> StartAsync(int hosts = 3, bool haproxy = true)
    {
        var cluster = new ScaleOutCluster(await HostNetwork.CreateAsync(hosts), hosts);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, hosts).Select(i => cluster.StartHostAsync(i)));
            if (haproxy)
            {
                cluster._haproxy = await HAProxyProcess.StartAsync(cluster._directory.Path, cluster._network.Lan, hosts);
            }

            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public GwserveProcess Host(int index) => _hosts[index] ?? throw new InvalidOperationException($"host {index + 1} is not running");

    /// <summary>Starts gwserve on host <paramref name="index"/> and waits until its worker is ready.</summary>
    public async Task StartHostAsync(int index, params string[] extra)
    {
        string address = HostNetwork.HostAddress(index);
        _hosts[index]?.Dispose();
        GwserveProcess host = GwserveProcess.LaunchWrapped(
            ["ip", "netns", "exec", _network.Host(index), "setsid"],
            [
                Deployment.DeploymentApps.Hello,
                "--bind", $"{address}:{AppPort}",
                "--metrics-bind", $"{address}:{MetricsPort}",
                "--workers", "1",
                "--shutdown-delay", ShutdownDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                "--graceful-timeout", "5",
                "--forwarded-allow-ips", HostNetwork.LanAddress,
                .. extra,
            ]);
        _hosts[index] = host;
        await host.WaitForReadyWorkersAsync(1);
    }

    /// <summary>SIGKILL to the host's whole process group (master and workers at once), as if the machine died.</summary>
    public void KillHost(int index)
    {
        GwserveProcess host = Host(index);
        ProcessSignals.Send(-host.Pid, ProcessSignals.Kill).Should().BeTrue("the host leads its own process group (setsid)");
    }

    /// <summary>Waits for HAProxy to mark host <paramref name="index"/> DOWN after <paramref name="since"/>; returns when its log said so.</summary>
    public Task<long> WaitMarkedDownAsync(int index, long since) => HAProxy.WaitForServerAsync(index, "DOWN", since, StateChangeWait);

    public Task<long> WaitMarkedUpAsync(int index, long since) => HAProxy.WaitForServerAsync(index, "UP", since, StateChangeWait);

    /// <summary>What a failed assertion should show: HAProxy's log and each host's.</summary>
    public string Describe() =>
        $"HAProxy:\n{_haproxy?.Lines.Text}\n" + string.Join("\n", _hosts.Select((h, i) => $"host {i + 1}:\n{h?.Output}"));

    public static long Now() => Stopwatch.GetTimestamp();

    public void Dispose()
    {
        _haproxy?.Dispose();
        foreach (GwserveProcess? host in _hosts)
        {
            if (host is not null && !host.HasExited)
            {
                ProcessSignals.Send(-host.Pid, ProcessSignals.Kill);
            }

            host?.Dispose();
        }

        _network.Dispose();
        _directory.Dispose();
    }
}
