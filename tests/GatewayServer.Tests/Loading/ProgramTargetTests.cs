using System.Reflection;
using System.Runtime.Loader;
using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

/// <summary>How a program (an ASP.NET Core app, run through its entry point) is told from a gateway or OWIN app.</summary>
public sealed class ProgramTargetTests
{
    private static string Fixture(string name) =>
        Path.Combine(Path.GetDirectoryName(LoadingFixture.Directory)!, "..", name, Path.GetFileName(LoadingFixture.Directory), name + ".dll");

    [Fact]
    public void An_assembly_with_an_entry_point_and_no_App_is_a_program_when_no_name_is_given()
    {
        LoadedApplication app = AppLoader.Load(AppTarget.Parse(Fixture("AspNetCoreApp"), "/"));

        app.Kind.Should().Be(ApplicationKind.Host);
        app.EntryPoint!.Name.Should().Be("<Main>$", "top-level statements compile into Program.<Main>$");
        app.Description.Should().StartWith("program Program (entry point <Main>$) in ");
    }

    [Fact]
    public void Naming_the_entry_points_type_is_the_explicit_form()
    {
        LoadedApplication app = AppLoader.Load(AppTarget.Parse(Fixture("GenericHostApp") + ":Program", "/"));

        app.Kind.Should().Be(ApplicationKind.Host);
        app.EntryPoint!.DeclaringType!.FullName.Should().Be("GenericHostApp.Program");
    }

    [Fact]
    public void A_named_member_of_a_program_assembly_keeps_its_gateway_meaning()
    {
        LoadedApplication app = AppLoader.Load(AppTarget.Parse(Fixture("GenericHostApp") + ":OwinStartup.App", "/"));

        app.Kind.Should().Be(ApplicationKind.Owin);
    }

    [Fact]
    public void An_assembly_with_an_App_type_and_no_name_keeps_its_gateway_meaning()
    {
        AppTarget target = LoadingFixture.Target(LoadingFixture.AssemblyFileName);

        target.NameGiven.Should().BeFalse();
        AppLoader.Load(target).Kind.Should().NotBe(ApplicationKind.Host);
    }

    [Fact]
    public void The_ASP_NET_Core_framework_is_found_beside_the_running_runtime_in_its_version()
    {
        string runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/');

        SharedFrameworks.AspNetCoreDirectory.Should().Be(
            Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(runtime))!, "Microsoft.AspNetCore.App", Path.GetFileName(runtime)));
    }

    [Fact]
    public void A_framework_assembly_is_loaded_into_the_default_context_and_others_are_left_alone()
    {
        Assembly? http = SharedFrameworks.LoadIntoDefault(new AssemblyName("Microsoft.AspNetCore.Http.Abstractions"));

        http.Should().NotBeNull();
        AssemblyLoadContext.GetLoadContext(http!).Should().BeSameAs(AssemblyLoadContext.Default);
        SharedFrameworks.LoadIntoDefault(new AssemblyName("Microsoft.AspNetCore.Http.Abstractions")).Should().BeSameAs(http);
        SharedFrameworks.LoadIntoDefault(new AssemblyName("Serilog")).Should().BeNull();
    }
}
