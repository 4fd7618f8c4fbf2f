using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

public class AppLoaderMemberTests
{
    [Fact]
    public async Task Static_property_returning_an_application_is_the_application()
    {
        LoadedApplication app = LoadingFixture.Load("Startup.App");

        (await LoadingFixture.BodyAsync(app)).Should().Be("Startup.App property");
        app.Description.Should().Be($"property LoadingFixtures.Startup.App in {LoadingFixture.AssemblyPath}");
    }

    [Fact]
    public async Task Static_field_returning_an_async_application_is_the_application()
    {
        LoadedApplication app = LoadingFixture.Load("LoadingFixtures.Startup.AsyncField");

        app.Kind.Should().Be(ApplicationKind.Async);
        (await LoadingFixture.BodyAsync(app)).Should().Be("AsyncApp");
    }

    [Fact]
    public async Task Parameterless_static_method_is_called_for_the_application()
    {
        (await LoadingFixture.BodyAsync(LoadingFixture.Load("Startup.Build"))).Should().Be("Startup.Build()");
    }

    [Fact]
    public async Task Static_property_returning_an_application_delegate_is_wrapped()
    {
        LoadedApplication app = LoadingFixture.Load("Startup.Delegate");

        app.Kind.Should().Be(ApplicationKind.Sync);
        (await LoadingFixture.BodyAsync(app)).Should().Be("Startup.Delegate");
    }

    [Theory]
    [InlineData("Handlers.Hello", ApplicationKind.Sync, "Handlers.Hello")]
    [InlineData("Handlers.HelloAsync", ApplicationKind.Async, "Handlers.HelloAsync")]
    [InlineData("Handlers.HelloArray", ApplicationKind.Sync, "Handlers.HelloArray")]
    public async Task Static_method_of_the_application_shape_is_wrapped_as_an_application(string name, ApplicationKind kind, string body)
    {
        LoadedApplication app = LoadingFixture.Load(name);

        app.Kind.Should().Be(kind);
        app.Description.Should().StartWith($"static method LoadingFixtures.{name} in ");
        (await LoadingFixture.BodyAsync(app)).Should().Be(body);
    }

    [Theory]
    [InlineData("OwinApp.AppFunc")]
    [InlineData("OwinApp.Invoke")]
    public async Task Owin_AppFunc_property_or_method_loads_as_owin(string name)
    {
        LoadedApplication app = LoadingFixture.Load(name);

        app.Kind.Should().Be(ApplicationKind.Owin);
        app.Sync.Should().BeNull();
        app.Async.Should().BeNull();
        var environment = new Dictionary<string, object>();
        await app.Owin!(environment);
        environment["owin.ResponseStatusCode"].Should().Be(204);
    }
}
