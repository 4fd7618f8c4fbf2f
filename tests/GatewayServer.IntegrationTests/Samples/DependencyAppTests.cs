using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Samples;

public sealed class DependencyAppTests
{
    private static readonly string AppPath = RepositoryLayout.Sample("DependencyApp");

    [Fact]
    public async Task The_apps_own_NuGet_packages_load_from_its_folder_into_its_load_context()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(AppPath + ":App");
        using HttpClient client = SampleClient.For(server.Port);

        using JsonDocument answer = JsonDocument.Parse(await client.GetStringAsync("/"));

        string appDirectory = Path.GetDirectoryName(AppPath)!;
        JsonElement newtonsoft = answer.RootElement.GetProperty("newtonsoft");
        newtonsoft.GetProperty("version").GetString().Should().StartWith("13.0.3");
        newtonsoft.GetProperty("directory").GetString().Should().Be(appDirectory);
        newtonsoft.GetProperty("loadContext").GetString().Should().Be("gwserve app: DependencyApp.dll");
        answer.RootElement.GetProperty("rendered").GetString().Should().Be("Hello \"Serilog\" from \"/\"");
    }

    [Fact]
    public async Task An_app_built_against_another_Serilog_than_gwserves_gets_its_own_version_isolated()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(AppPath + ":App");
        using HttpClient client = SampleClient.For(server.Port);

        using JsonDocument answer = JsonDocument.Parse(await client.GetStringAsync("/"));

        // The sample pins Serilog 4.2.0 with VersionOverride; Directory.Packages.props (gwserve's) says 4.3.0.
        JsonElement serilog = answer.RootElement.GetProperty("serilog");
        serilog.GetProperty("version").GetString().Should().StartWith("4.2.0");
        serilog.GetProperty("directory").GetString().Should().Be(Path.GetDirectoryName(AppPath));
        serilog.GetProperty("loadContext").GetString().Should().Be("gwserve app: DependencyApp.dll");
    }
}
