using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

public class AppLoadContextTests
{
    [Fact]
    public void Loaded_application_implements_the_hosts_interface_type_although_its_bin_folder_has_its_own_copy()
    {
        File.Exists(Path.Combine(LoadingFixture.Directory, "GatewayServer.Abstractions.dll")).Should().BeTrue(
            "the test only proves something when the app ships its own contract assembly");

        LoadedApplication app = LoadingFixture.Load("App");
        object instance = app.Sync!;

        (instance is IGatewayApplication).Should().BeTrue();
        AssemblyLoadContext.GetLoadContext(instance.GetType().Assembly).Should().BeOfType<AppLoadContext>()
            .Which.Should().BeSameAs(app.LoadContext);
        instance.GetType().GetInterfaces().Should().Contain(typeof(IGatewayApplication));
        app.LoadContext.Assemblies.Should().NotContain(a => a.GetName().Name == "GatewayServer.Abstractions");
    }

    [Fact]
    public async Task Apps_own_nuget_dependency_resolves_through_its_deps_json_into_its_context()
    {
        LoadedApplication app = LoadingFixture.Load("DependencyApp");

        (await LoadingFixture.BodyAsync(app)).Should().Be("{\"context\":\"gwserve app: LoadingFixtures.dll\"}");
    }

    [Fact]
    public void Each_load_gets_its_own_context()
    {
        LoadedApplication first = LoadingFixture.Load("App");
        LoadedApplication second = LoadingFixture.Load("App");

        second.LoadContext.Should().NotBeSameAs(first.LoadContext);
        second.Sync!.GetType().Should().NotBe(first.Sync!.GetType());
    }

    [Fact]
    public void Collectible_load_can_be_unloaded_and_is_collected()
    {
        WeakReference context = LoadAndUnload();

        for (int i = 0; i < 20 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        context.IsAlive.Should().BeFalse();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadAndUnload()
    {
        LoadedApplication app = AppLoader.Load(LoadingFixture.Target("LoadingFixtures.dll:App"), collectible: true);
        app.LoadContext.IsCollectible.Should().BeTrue();
        var weak = new WeakReference(app.LoadContext);
        app.LoadContext.Unload();
        return weak;
    }
}
