using System.Globalization;
using System.Text.RegularExpressions;
using GatewayServer.Configuration;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// docs/deploy/kubernetes.yaml cannot be run here (no cluster), so gwserve is run with its args and
/// env instead and asked its probes' paths, and the manifest's numbers are checked against each other
/// and against the settings table.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const string ManifestApp = "/app/app/HelloApp.dll:App";

    private static readonly string Manifest = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "deploy", "kubernetes.yaml"));

    [Fact]
    public void Every_option_in_the_manifest_is_a_gwserve_setting_with_a_valid_value()
    {
        IReadOnlyList<string> args = Args();

        args[0].Should().Be(ManifestApp, "the Dockerfile puts the app there");
        for (int i = 1; i < args.Count; i += 2)
        {
            args[i].Should().StartWith("--");
            Setting? setting = Settings.Find(args[i][2..]);
            setting.Should().NotBeNull($"{args[i]} is a gwserve setting");
            setting!.Invoking(s => s.Parse([args[i + 1]])).Should().NotThrow($"{args[i]} {args[i + 1]} is valid");
        }
    }

    [Fact]
    public void Ports_probes_grace_period_and_CPU_limit_agree_with_gwserve_s_options()
    {
        IReadOnlyList<string> args = Args();
        IReadOnlyDictionary<string, int> ports = ContainerPorts();

        ports["http"].Should().Be(PortOf(Option(args, "--bind")));
        ports["metrics"].Should().Be(PortOf(Option(args, "--metrics-bind")), "the probes ask the master on --metrics-bind");
        Probe("livenessProbe").Should().Be(("/livez", "metrics"));
        Probe("readinessProbe").Should().Be(("/readyz", "metrics"));
        ServiceTargetPort().Should().Be("http");

        int grace = int.Parse(GracePeriod().Match(Manifest).Groups[1].Value, CultureInfo.InvariantCulture);
        double delay = double.Parse(Option(args, "--shutdown-delay"), CultureInfo.InvariantCulture);
        double graceful = double.Parse(Option(args, "--graceful-timeout"), CultureInfo.InvariantCulture);
        grace.Should().BeInRange((int)Math.Ceiling(delay + graceful), (int)(delay + graceful) + 10, "Kubernetes kills the pod after the grace period: it covers the delay and the drain, and not much more");

        CpuLimit().Match(Manifest).Groups[1].Value.Should().Be(Option(args, "--workers"), "one worker per core of the limit");
    }

    [Fact]
    public async Task Gwserve_started_with_the_manifest_s_args_and_env_answers_its_probes()
    {
        int appPort = DeploymentApps.FreePort();
        int metricsPort = DeploymentApps.FreePort();
        string[] args =
        [
            .. Args().Select(a => a switch
            {
                ManifestApp => DeploymentApps.Hello,
                "0.0.0.0:8000" => $"127.0.0.1:{appPort}",
                "0.0.0.0:9000" => $"127.0.0.1:{metricsPort}",
                _ => a,
            }),
        ];
        Dictionary<string, string?> environment = EnvironmentVariable().Matches(Manifest).ToDictionary(m => m.Groups[1].Value, m => (string?)m.Groups[2].Value);
        environment.Should().ContainKey("DOTNET_GCHeapHardLimit");

        using GwserveProcess server = GwserveProcess.Launch(args, environment);
        await server.WaitForReadyWorkersAsync(int.Parse(Option(args, "--workers"), CultureInfo.InvariantCulture));
        await server.WaitForLineAsync(l => l.Contains("Metrics and health at:", StringComparison.Ordinal));

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (string probe in new[] { "livenessProbe", "readinessProbe" })
        {
            HttpResponseMessage response = await client.GetAsync($"http://127.0.0.1:{metricsPort}{Probe(probe).Path}");
            ((int)response.StatusCode).Should().Be(200, $"{probe} asks {Probe(probe).Path}");
        }

        (await client.GetStringAsync($"http://127.0.0.1:{appPort}/")).Should().Be("Hello, World!");
    }

    private static IReadOnlyList<string> Args()
    {
        int start = Manifest.IndexOf("args:\n", StringComparison.Ordinal);
        start.Should().BePositive("the container has args");
        var args = new List<string>();
        foreach (string line in Manifest[(start + "args:\n".Length)..].Split('\n'))
        {
            Match arg = Arg().Match(line);
            if (arg.Success)
            {
                args.Add(arg.Groups[1].Value);
            }
            else if (!line.TrimStart().StartsWith('#'))
            {
                break;
            }
        }

        return args;
    }

    private static string Option(IReadOnlyList<string> args, string flag)
    {
        int at = args.ToList().IndexOf(flag);
        at.Should().BePositive($"the manifest passes {flag}");
        return args[at + 1];
    }

    private static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static IReadOnlyDictionary<string, int> ContainerPorts() =>
        ContainerPort().Matches(Manifest).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private static (string Path, string Port) Probe(string name)
    {
        Match probe = new Regex(name + @":\s*\n\s*httpGet:\s*\n\s*path: (\S+)\s*\n\s*port: (\S+)").Match(Manifest);
        probe.Success.Should().BeTrue($"the container has an httpGet {name}");
        return (probe.Groups[1].Value, probe.Groups[2].Value);
    }

    private static string ServiceTargetPort()
    {
        string service = Manifest[Manifest.IndexOf("kind: Service", StringComparison.Ordinal)..];
        return TargetPort().Match(service).Groups[1].Value;
    }

    [GeneratedRegex(@"^\s+- ""([^""]*)""\s*$")]
    private static partial Regex Arg();

    [GeneratedRegex(@"- name: (\w+)\s*\n\s*containerPort: (\d+)")]
    private static partial Regex ContainerPort();

    [GeneratedRegex(@"- name: (\w+)\s*\n\s*value: ""([^""]*)""")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex(@"terminationGracePeriodSeconds: (\d+)")]
    private static partial Regex GracePeriod();

    [GeneratedRegex(@"limits:\s*\n\s*cpu: ""(\d+)""")]
    private static partial Regex CpuLimit();

    [GeneratedRegex(@"targetPort: (\S+)")]
    private static partial Regex TargetPort();
}
