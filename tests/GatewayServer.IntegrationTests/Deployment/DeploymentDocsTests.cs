using System.Text.RegularExpressions;
using GatewayServer.Configuration;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>docs/deploy cannot be run here (no Docker, no systemd as PID 1), so it is checked against the code instead.</summary>
public sealed partial class DeploymentDocsTests
{
    private static readonly string Deploy = Path.Combine(RepositoryLayout.Root, "docs", "deploy");

    [Fact]
    public void Dockerfile_publishes_real_projects_and_its_entrypoint_runs_gwserve_with_real_options()
    {
        string dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));

        MatchCollection publishes = Publish().Matches(dockerfile);
        publishes.Should().HaveCountGreaterThanOrEqualTo(2);
        publishes.Select(m => m.Groups[1].Value).Should().Contain("src/GatewayServer.Cli", "the server is published as build.ps1 publish does");
        foreach (Match publish in publishes)
        {
            Directory.GetFiles(Path.Combine(RepositoryLayout.Root, publish.Groups[1].Value), "*.csproj").Should().ContainSingle(publish.Value);
        }

        File.ReadAllText(Path.Combine(RepositoryLayout.Root, "build.ps1")).Should().Contain("'publish', 'src/GatewayServer.Cli'");
        string entrypoint = dockerfile.Split('\n').Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        entrypoint.Should().Contain("\"/app/gwserve/gwserve\"", "the Cli project's assembly is gwserve, published as a native executable");
        File.ReadAllText(Path.Combine(RepositoryLayout.Root, "src", "GatewayServer.Cli", "GatewayServer.Cli.csproj")).Should().Contain("<AssemblyName>gwserve</AssemblyName>");
        ExpectKnownOptions(entrypoint);
        string cmd = dockerfile.Split('\n').Single(l => l.StartsWith("CMD", StringComparison.Ordinal));
        cmd.Should().Contain("/app/app/HelloApp.dll:App");
    }

    [Theory]
    [InlineData("gwserve.service")]
    [InlineData("gwserve-activated.service")]
    public void Unit_runs_gwserve_as_notify_reload_with_real_options(string unit)
    {
        string text = File.ReadAllText(Path.Combine(Deploy, unit));

        text.Should().Contain("Type=notify-reload").And.Contain("NotifyAccess=main").And.Contain("KillMode=mixed");
        string execStart = text.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        execStart.Should().StartWith("ExecStart=/usr/local/bin/gwserve ");
        ExpectKnownOptions(execStart);
        if (unit.Contains("activated", StringComparison.Ordinal))
        {
            execStart.Should().NotContain("--bind", "the sockets come from gwserve.socket");
        }
    }

    [Fact]
    public void Socket_unit_names_its_socket_as_the_activation_test_does_and_starts_the_activated_service()
    {
        string text = File.ReadAllText(Path.Combine(Deploy, "gwserve.socket"));

        text.Should().Contain("FileDescriptorName=web", "SystemdTests passes --fdname=web and expects that name in the log");
        text.Should().Contain("Service=gwserve-activated.service");
        File.Exists(Path.Combine(Deploy, "gwserve-activated.service")).Should().BeTrue();
    }

    private static void ExpectKnownOptions(string commandLine)
    {
        foreach (Match option in Option().Matches(commandLine))
        {
            Settings.Find(option.Groups[1].Value).Should().NotBeNull($"{option.Value} in \"{commandLine}\" is a gwserve setting");
        }
    }

    [GeneratedRegex(@"dotnet publish ([^\s]+)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"--([a-z][a-z-]+)")]
    private static partial Regex Option();
}
