using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;
using Xunit.Abstractions;

namespace GatewayServer.IntegrationTests.Templates;

/// <summary>
/// The way a new user starts: pack gwserve, install the template and the tool from the packages,
/// generate an app, serve it with one command. Everything happens in a temporary folder, with its
/// own dotnet home, template hive and NuGet package folder, so nothing on the machine changes (and
/// a repacked version never meets a stale copy in the NuGet cache).
/// </summary>
public sealed partial class TemplateTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    private readonly TemporaryDirectory _root = new("gwserve-template-");

    public void Dispose() => _root.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task An_app_generated_by_dotnet_new_gwserve_app_builds_against_the_packed_contract_and_serves_with_dotnet_run()
    {
        var timer = Stopwatch.StartNew();
        string packages = Path.Combine(_root.Path, "packages");
        string version = RepositoryVersion();
        string configuration = RepositoryLayout.Configuration == "debug" ? "Debug" : "Release";
        var repository = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" };
        foreach (string packable in new[] { "src/GatewayServer.Abstractions", "src/GatewayServer.Cli", "templates/GatewayServer.Templates.csproj" })
        {
            // The test run has built them: pack what was built, never rebuild under running tests.
            await DotnetCommand.RunAsync(RepositoryLayout.Root, repository, StepTimeout, "pack", packable, "-c", configuration, "--no-build", "-o", packages);
        }

        Directory.GetFiles(packages).Select(Path.GetFileName).Should().BeEquivalentTo(
            $"GatewayServer.Abstractions.{version}.nupkg", $"gwserve.{version}.nupkg", $"GatewayServer.Templates.{version}.nupkg");
        TimeSpan packed = timer.Elapsed;

        var isolated = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.Combine(_root.Path, "home"),
            ["NUGET_PACKAGES"] = Path.Combine(_root.Path, "nuget-packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        string hive = Path.Combine(_root.Path, "hive");
        await DotnetCommand.RunAsync(_root.Path, isolated, StepTimeout, "new", "install", Path.Combine(packages, $"GatewayServer.Templates.{version}.nupkg"), "--debug:custom-hive", hive);
        await DotnetCommand.RunAsync(_root.Path, isolated, StepTimeout, "new", "gwserve-app", "-n", "HelloTemplate", "-o", Path.Combine(_root.Path, "HelloTemplate"), "--debug:custom-hive", hive);

        string project = Path.Combine(_root.Path, "HelloTemplate", "HelloTemplate.csproj");
        File.ReadAllText(project).Should().Contain($"<PackageReference Include=\"GatewayServer.Abstractions\" Version=\"{version}\" />")
            .And.Contain("<EnableDynamicLoading>true</EnableDynamicLoading>");
        File.Exists(Path.Combine(_root.Path, "HelloTemplate", "README.md")).Should().BeTrue();

        // The packages folder as a source beside the machine's own (no <clear />).
        File.WriteAllText(Path.Combine(_root.Path, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="gwserve-local" value="{packages}" />
              </packageSources>
            </configuration>
            """);

        string tools = Path.Combine(_root.Path, "tools");
        await DotnetCommand.RunAsync(_root.Path, isolated, StepTimeout, "tool", "install", "--tool-path", tools, "gwserve", "--add-source", packages, "--version", version);
        File.Exists(Path.Combine(tools, "gwserve")).Should().BeTrue();
        TimeSpan installed = timer.Elapsed;

        // The one command the template's README gives, pointed at the tool just installed.
        using DotnetCommand run = DotnetCommand.Start(Path.Combine(_root.Path, "HelloTemplate"), isolated,
            "run", "-p:Gwserve=" + Path.Combine(tools, "gwserve"), "-p:GwserveBind=127.0.0.1:0");
        string listening = await run.WaitForLineAsync(l => l.Contains("Listening at: http://", StringComparison.Ordinal), StepTimeout);
        await run.WaitForLineAsync(l => l.Contains("Worker ready (pid: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        int port = int.Parse(ListeningPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using HttpClient client = SampleClient.For(port);
        using HttpResponseMessage response = await client.GetAsync("/");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Hello from HelloTemplate!\n");
        output.WriteLine($"packed in {packed.TotalSeconds:F0} s, template and tool installed by {installed.TotalSeconds:F0} s, served by {timer.Elapsed.TotalSeconds:F0} s");
    }

    private static string RepositoryVersion() =>
        XDocument.Load(Path.Combine(RepositoryLayout.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    [GeneratedRegex(@"Listening at: http://[^ ]*:(\d+) ")]
    private static partial Regex ListeningPort();
}
