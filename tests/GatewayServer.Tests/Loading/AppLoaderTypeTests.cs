using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

public class AppLoaderTypeTests
{
    [Fact]
    public async Task Target_without_a_name_loads_the_type_called_App()
    {
        LoadedApplication app = AppLoader.Load(LoadingFixture.Target(LoadingFixture.AssemblyFileName));

        app.Kind.Should().Be(ApplicationKind.Sync);
        (await LoadingFixture.BodyAsync(app)).Should().Be("App");
        app.Description.Should().Be($"type LoadingFixtures.App in {LoadingFixture.AssemblyPath}");
    }

    [Fact]
    public async Task Target_without_extension_or_name_finds_the_dll_in_the_base_directory()
    {
        LoadedApplication app = AppLoader.Load(LoadingFixture.Target("LoadingFixtures"));

        (await LoadingFixture.BodyAsync(app)).Should().Be("App");
    }

    [Theory]
    [InlineData("LoadingFixtures.Alpha.Twin", "Alpha.Twin")]
    [InlineData("Beta.Twin", "Beta.Twin")]
    [InlineData("AsyncApp", "AsyncApp")]
    [InlineData("Outer.Inner", "Outer.Inner")]
    [InlineData("Outer+Inner", "Outer.Inner")]
    [InlineData("LoadingFixtures.Outer+Inner", "Outer.Inner")]
    public async Task Type_is_found_by_its_full_name_or_a_trailing_part_of_it(string name, string body)
    {
        (await LoadingFixture.BodyAsync(LoadingFixture.Load(name))).Should().Be(body);
    }

    [Fact]
    public async Task Async_application_type_loads_as_async()
    {
        LoadedApplication app = LoadingFixture.Load("AsyncApp");

        app.Kind.Should().Be(ApplicationKind.Async);
        app.Sync.Should().BeNull();
        app.Async.Should().NotBeNull();
        (await LoadingFixture.BodyAsync(app)).Should().Be("AsyncApp");
    }

    [Fact]
    public void Type_implementing_both_interfaces_is_async_and_keeps_both()
    {
        LoadedApplication app = LoadingFixture.Load("BothApp");

        app.Kind.Should().Be(ApplicationKind.Async);
        app.Sync.Should().BeSameAs(app.Async);
    }

    [Theory]
    [InlineData("ConfiguredApp(\"blue\")", "ConfiguredApp(blue)")]
    [InlineData("ConfiguredApp(\"blue\", 8080)", "ConfiguredApp(blue, 8080)")]
    public async Task Type_with_arguments_calls_the_matching_constructor(string name, string body)
    {
        (await LoadingFixture.BodyAsync(LoadingFixture.Load(name))).Should().Be(body);
    }
}
