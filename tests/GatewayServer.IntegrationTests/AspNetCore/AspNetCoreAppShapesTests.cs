using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.AspNetCore;

/// <summary>
/// The other shapes of ASP.NET Core code: the generic-host form of a program, and an OWIN app that
/// uses the ASP.NET Core shared framework (which gwserve resolves though it does not run on it).
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class AspNetCoreAppShapesTests
{
    private static string Assembly => RepositoryLayout.Fixture("GenericHostApp");

    [Fact]
    public async Task A_generic_host_program_is_served_through_its_entry_point()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Assembly, "--timeout", "120");
        await server.WaitForReadyWorkersAsync(1, AspNetCoreAppServer.BootWait);

        RawResponse response = await SupervisionApps.GetAsync(server.Port, "/hello");

        response.Status.Should().Be(200);
        response.BodyText.Should().Be("generic host /hello");
    }

    [Fact]
    public async Task An_OWIN_AppFunc_built_on_the_ASP_NET_Core_framework_loads_and_serves()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Assembly + ":OwinStartup.App", 1);

        RawResponse response = await SupervisionApps.GetAsync(server.Port, "/?name=ada");

        response.Status.Should().Be(200);
        response.BodyText.Should().Be("owin on aspnetcore: name=ada");
    }
}
