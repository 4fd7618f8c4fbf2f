using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// Several hosts on one machine: a network namespace per host, each joined by a veth pair to a bridge
/// in a "lan" namespace where the load balancer's connections start. The lan bridge is 10.0.0.1/24
/// and host i is 10.0.0.(11 + i), the addresses docs/deploy/haproxy.cfg names; no address exists
/// outside these namespaces, so no test traffic leaves them. Names carry this process's pid, so
/// parallel runs do not collide and a crashed run's namespaces are recognised and removed by the next.
/// </summary>
public sealed class HostNetwork : IDisposable
{
    private const string Prefix = "gwso";
    private const string NamespaceDirectory = "/run/netns";
    private static int _created;

    private readonly List<string> _namespaces = [];

    private HostNetwork(string name)
    {
        Name = name;
    }

    /// <summary>The run-unique prefix of every namespace of this network.</summary>
    public string Name { get; }

    /// <summary>The namespace holding the bridge: where the load balancer connects from.</summary>
    public string Lan => Name + "-lan";

    /// <summary>The namespace of host <paramref name="index"/> (0-based).</summary>
    public string Host(int index) => $"{Name}-h{index + 1}";

    public static string LanAddress => "10.0.0.1";

    public static string HostAddress(int index) => $"10.0.0.{11 + index}";

    public static async Task<HostNetwork> CreateAsync(int hosts)
    {
        RemoveLeftoversOfDeadRuns();
        var network = new HostNetwork($"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _created)}");
        try
        {
            await network.AddNamespaceAsync(network.Lan);
            await IpAsync("-n", network.Lan, "link", "add", "br0", "type", "bridge");
            await IpAsync("-n", network.Lan, "addr", "add", LanAddress + "/24", "dev", "br0");
            await IpAsync("-n", network.Lan, "link", "set", "br0", "up");
            for (int i = 0; i < hosts; i++)
            {
                string host = network.Host(i);
                string port = $"h{i + 1}";
                await network.AddNamespaceAsync(host);
                await IpAsync("-n", network.Lan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host);
                await IpAsync("-n", network.Lan, "link", "set", port, "master", "br0", "up");
                await IpAsync("-n", host, "addr", "add", HostAddress(i) + "/24", "dev", "eth0");
                await IpAsync("-n", host, "link", "set", "eth0", "up");
            }

            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Deletes every namespace (with its veth ends); processes still inside must be gone first.</summary>
    public void Dispose()
    {
        foreach (string name in Enumerable.Reverse(_namespaces))
        {
            Delete(name);
        }

        _namespaces.Clear();
    }

    private async Task AddNamespaceAsync(string name)
    {
        await IpAsync("netns", "add", name);
        _namespaces.Add(name);
        await IpAsync("-n", name, "link", "set", "lo", "up");
    }

    private static async Task IpAsync(params string[] args)
    {
        ToolProcess.Result result = await ToolProcess.RunAsync("ip", args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({result.ExitCode}): {result.Error}");
        }
    }

    private static void Delete(string name)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", ["netns", "del", name]) { UseShellExecute = false, RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit(10_000);
    }

    /// <summary>Namespaces named after a test process that no longer exists (it was killed before its Dispose).</summary>
    private static void RemoveLeftoversOfDeadRuns()
    {
        if (!Directory.Exists(NamespaceDirectory))
        {
            return;
        }

        foreach (string path in Directory.EnumerateFiles(NamespaceDirectory, Prefix + "*"))
        {
            string name = Path.GetFileName(path);
            int dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > Prefix.Length && int.TryParse(name.AsSpan(Prefix.Length, dash - Prefix.Length), out int pid) && !ProcessSignals.IsAlive(pid))
            {
                Delete(name);
            }
        }
    }
}
