using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

public sealed class AppLoaderFailureTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("gwserve-loading-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Missing_assembly_file_is_not_found_and_names_the_absolute_path()
    {
        AppLoadException e = LoadingFixture.LoadFails("Missing.dll:App", AppLoadFailure.AssemblyNotFound, _temp);

        e.Message.Should().Be($"app target \"Missing.dll:App\": assembly {Path.Combine(_temp, "Missing.dll")} not found");
    }

    [Fact]
    public void Text_file_named_like_a_dll_is_not_an_assembly()
    {
        File.WriteAllText(Path.Combine(_temp, "x.dll"), "this is not a PE file\n");

        AppLoadException e = LoadingFixture.LoadFails("x.dll:App", AppLoadFailure.NotAnAssembly, _temp);

        e.Message.Should().Contain($"{Path.Combine(_temp, "x.dll")} is not a .NET assembly");
    }

    [Fact]
    public void Unknown_name_is_not_found_and_says_what_was_looked_for_and_where()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Nope", AppLoadFailure.NameNotFound);

        e.Message.Should().Be($"app target \"LoadingFixtures.dll:Nope\": type or member \"Nope\" not found in {LoadingFixture.AssemblyPath}");
    }

    [Fact]
    public void Unknown_member_of_a_known_type_is_not_found_and_names_the_type()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Nope", AppLoadFailure.NameNotFound);

        e.Message.Should().Contain($"type or member \"Startup.Nope\" not found in {LoadingFixture.AssemblyPath}")
            .And.Contain("type LoadingFixtures.Startup has no member \"Nope\"");
    }

    [Fact]
    public void Simple_type_name_that_matches_two_types_is_ambiguous_and_lists_both()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Twin", AppLoadFailure.Ambiguous);

        e.Message.Should().Contain($"\"Twin\" is ambiguous in {LoadingFixture.AssemblyPath}")
            .And.Contain("it matches LoadingFixtures.Alpha.Twin, LoadingFixtures.Beta.Twin;");
    }

    [Fact]
    public void Name_that_is_both_a_type_and_a_member_is_ambiguous_and_lists_both()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Site.Home", AppLoadFailure.Ambiguous);

        e.Message.Should().Contain("Other.Site.Home").And.Contain("LoadingFixtures.Site.Home");
    }

    [Fact]
    public void Type_that_is_not_an_application_is_the_wrong_shape()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:NotAnApp", AppLoadFailure.WrongShape);

        e.Message.Should().Contain($"type LoadingFixtures.NotAnApp in {LoadingFixture.AssemblyPath} implements neither IGatewayApplication nor IAsyncGatewayApplication");
    }

    [Fact]
    public void Abstract_application_type_is_the_wrong_shape()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:AbstractApp", AppLoadFailure.WrongShape)
            .Message.Should().Contain("is abstract");
    }

    [Fact]
    public void Application_type_without_a_parameterless_constructor_is_the_wrong_shape()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:ConfiguredApp", AppLoadFailure.WrongShape)
            .Message.Should().Contain("type LoadingFixtures.ConfiguredApp in").And.Contain("has no public parameterless constructor");
    }

    [Fact]
    public void Property_returning_a_string_is_the_wrong_shape_and_says_what_it_returned()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Text", AppLoadFailure.WrongShape);

        e.Message.Should().Contain($"property LoadingFixtures.Startup.Text in {LoadingFixture.AssemblyPath} returned a System.String; expected an IGatewayApplication");
    }

    [Fact]
    public void Property_returning_null_is_the_wrong_shape()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Nothing", AppLoadFailure.WrongShape)
            .Message.Should().Contain("returned null");
    }

    [Fact]
    public void Method_that_needs_arguments_is_the_wrong_shape_when_named_without_them()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.NeedsArgument", AppLoadFailure.WrongShape)
            .Message.Should().Contain("method LoadingFixtures.Startup.NeedsArgument in").And.Contain("takes parameters (NeedsArgument(Int32))");
    }

    [Fact]
    public void Method_one_parameter_short_of_the_application_shape_is_the_wrong_shape()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:Handlers.Almost", AppLoadFailure.WrongShape)
            .Message.Should().Contain("takes parameters (Almost(IDictionary<String, Object>)) and is not of an application shape");
    }

    [Fact]
    public void Non_public_member_is_the_wrong_shape()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Hidden", AppLoadFailure.WrongShape)
            .Message.Should().Contain("property LoadingFixtures.Startup.Hidden in").And.Contain("is not public and static");
    }

    [Fact]
    public void Constructor_that_throws_is_an_app_failure_with_one_line_and_the_original_exception()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:ThrowingApp", AppLoadFailure.AppThrew);

        e.Message.Should().Be(
            $"app target \"LoadingFixtures.dll:ThrowingApp\": the constructor of type LoadingFixtures.ThrowingApp in {LoadingFixture.AssemblyPath} " +
            "threw System.InvalidOperationException: constructor failed second line");
        e.InnerException.Should().BeOfType<InvalidOperationException>();
    }

    [Fact]
    public void Getter_that_throws_is_an_app_failure()
    {
        LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Throwing", AppLoadFailure.AppThrew)
            .Message.Should().Contain("the getter of property LoadingFixtures.Startup.Throwing").And.Contain("getter failed");
    }

    [Fact]
    public void Type_initializer_that_throws_is_an_app_failure_reporting_the_real_cause()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:BrokenStatic.App", AppLoadFailure.AppThrew);

        e.Message.Should().Contain("threw System.NotSupportedException: type initializer failed");
        e.InnerException.Should().BeOfType<NotSupportedException>();
    }

    [Fact]
    public void Invalid_target_syntax_fails_before_any_file_is_touched()
    {
        Action parse = () => AppTarget.Parse("Foo.dll:Startup.Create(\"unterminated", _temp);

        parse.Should().Throw<AppLoadException>().Which.ExitCode.Should().Be(10);
    }
}
