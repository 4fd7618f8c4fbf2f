using System.Diagnostics;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Deployment;
using GatewayServer.IntegrationTests.Samples;
using Xunit.Abstractions;

namespace GatewayServer.IntegrationTests.Templates;

/// <summary>
/// The way a new user starts: install the template and the tool from the packages
/// (<see cref="PackedGwserve"/>), generate an app, serve it with one command. Everything happens in
/// a temporary folder, with its own dotnet home, template hive and NuGet package folder, so nothing
/// on the machine changes. In the NativeAOT collection, which packs the tool once for the run.
/// </summary>
[Collection(NativeAotCollection.Name)]
public sealed partial class TemplateTests(ITestOutputHelper output) : IClassFixture<PackedGwserve>, IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    private readonly TemporaryDirectory _root = new("gwserve-template-");

    public void Dispose() => _root.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task An_app_generated_by_dotnet_new_gwserve_app_builds_against_the_packed_contract_and_serves_with_dotnet_run()
    {
        var timer = Stopwatch.StartNew();
        string packages = PackedGwserve.Directory;
        string version = PackedGwserve.Version;
        Directory.GetFiles(packages).Select(Path.GetFileName).Should().BeEquivalentTo(
            $"GatewayServer.Abstractions.{version}.nupkg", $"GatewayServer.Templates.{version}.nupkg",
            $"gwserve.{version}.nupkg", $"gwserve.linux-x64.{version}.nupkg", $"gwserve.any.{version}.nupkg");

        Dictionary<string, string> isolated = PackedGwserve.IsolatedEnvironment(_root.Path);
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

        string gwserve = await PackedGwserve.InstallToolAsync(_root.Path, packages);
        File.Exists(gwserve).Should().BeTrue();
        TimeSpan installed = timer.Elapsed;

        // The one command the template's README gives, pointed at the tool just installed.
        using DotnetCommand run = DotnetCommand.Start(Path.Combine(_root.Path, "HelloTemplate"), isolated,
            "run", "-p:Gwserve=" + gwserve, "-p:GwserveBind=127.0.0.1:0");
        string listening = await run.WaitForLineAsync(l => l.Contains("Listening at: http://", StringComparison.Ordinal), StepTimeout);
        await run.WaitForLineAsync(l => l.Contains("Worker ready (pid: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        int port = int.Parse(ListeningPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using HttpClient client = SampleClient.For(port);
        using HttpResponseMessage response = await client.GetAsync("/");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Hello from HelloTemplate!\n");
        output.WriteLine($"template and tool installed in {installed.TotalSeconds:F0} s, served by {timer.Elapsed.TotalSeconds:F0} s");
    }

    [GeneratedRegex(@"Listening at: http://[^ ]*:(\d+) ")]
    private static partial Regex ListeningPort();
}
