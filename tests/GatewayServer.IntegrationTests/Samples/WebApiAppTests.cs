using System.Net;
using System.Net.Http.Json;
using GatewayServer.IntegrationTests.AspNetCore;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Samples;

[Collection(MasterCollection.Name)]
public sealed class WebApiAppTests
{
    [Fact]
    public async Task The_WebApiApp_sample_serves_its_page_its_minimal_API_and_its_controller()
    {
        string dll = RepositoryLayout.Sample("WebApiApp");
        using GwserveProcess server = await GwserveProcess.StartAsync(dll, "--chdir", Path.GetDirectoryName(dll)!, "--timeout", "120");
        await server.WaitForReadyWorkersAsync(1, AspNetCoreAppServer.BootWait);
        using HttpClient client = SampleClient.For(server.Port);

        (await client.GetStringAsync("/hello")).Should().Be("Hello from ASP.NET Core under gwserve!");
        using HttpResponseMessage created = await client.PostAsJsonAsync("/api/todos", new { title = "write docs" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.GetStringAsync("/api/todos")).Should().Contain("\"title\":\"write docs\"");
        await server.WaitForLineAsync(l => l.Contains("Todo janitor started in worker", StringComparison.Ordinal));
    }
}
