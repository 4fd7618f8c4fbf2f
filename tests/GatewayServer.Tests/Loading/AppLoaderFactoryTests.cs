using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

public class AppLoaderFactoryTests
{
    [Theory]
    [InlineData("Startup.Create()", "Create()")]
    [InlineData("Startup.Create(\"prod\")", "Create(string prod)")]
    [InlineData("Startup.Create(\"prod\", 3)", "Create(string prod, int 3)")]
    [InlineData("Startup.Create(\"prod\", 2.5)", "Create(string prod, double 2.5)")]
    [InlineData("Startup.Create(true)", "Create(bool True)")]
    public async Task Factory_call_picks_the_overload_by_arity_and_literal_types(string name, string body)
    {
        (await LoadingFixture.BodyAsync(LoadingFixture.Load(name))).Should().Be(body);
    }

    [Fact]
    public async Task Integer_literal_prefers_the_int_overload_over_a_double_one()
    {
        LoadedApplication app = LoadingFixture.Load("Startup.Create(\"x\", 7)");

        (await LoadingFixture.BodyAsync(app)).Should().Be("Create(string x, int 7)");
        app.Description.Should().StartWith("LoadingFixtures.Startup.Create(String, Int32) in ");
    }

    [Theory]
    [InlineData("Startup.Configure(\"a\")", "Configure(a, 10)")]
    [InlineData("Startup.Configure(\"a\", 5)", "Configure(a, 5)")]
    [InlineData("Startup.Configure(null)", "Configure(null, 10)")]
    public async Task Optional_parameters_take_their_defaults_and_null_goes_to_a_nullable_parameter(string name, string body)
    {
        (await LoadingFixture.BodyAsync(LoadingFixture.Load(name))).Should().Be(body);
    }

    [Fact]
    public async Task Integer_literal_converts_to_a_narrower_parameter_when_it_fits()
    {
        (await LoadingFixture.BodyAsync(LoadingFixture.Load("Startup.Small(200)"))).Should().Be("Small(200)");
    }

    [Fact]
    public void Integer_literal_that_does_not_fit_the_parameter_matches_no_overload()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Small(300)", AppLoadFailure.WrongShape);

        e.Message.Should().Contain("no overload of LoadingFixtures.Startup.Small").And.Contain("accepts (int)").And.Contain("Small(Byte)");
    }

    [Fact]
    public async Task String_argument_arrives_unescaped()
    {
        LoadedApplication app = LoadingFixture.Load(@"Startup.Echo(""say \""hi\"" \\ bye"")");

        (await LoadingFixture.BodyAsync(app)).Should().Be("say \"hi\" \\ bye");
    }

    [Fact]
    public void Call_whose_literals_fit_two_overloads_equally_is_ambiguous()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Pick(1)", AppLoadFailure.Ambiguous);

        e.Message.Should().Contain("Pick(Int64)").And.Contain("Pick(Decimal)").And.Contain(LoadingFixture.AssemblyPath);
    }

    [Fact]
    public void Call_with_literals_no_overload_accepts_is_the_wrong_shape_and_lists_the_overloads()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Create(1, 2, 3)", AppLoadFailure.WrongShape);

        e.Message.Should().Contain("no overload of LoadingFixtures.Startup.Create in " + LoadingFixture.AssemblyPath)
            .And.Contain("accepts (int, int, int)")
            .And.Contain("Create(String, Int32)");
    }

    [Fact]
    public void Factory_that_throws_is_an_app_failure_with_the_exception_type_and_message()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.Fail(\"bad config\")", AppLoadFailure.AppThrew);

        e.Message.Should().Contain("LoadingFixtures.Startup.Fail(String)").And.Contain("threw System.ArgumentException: bad config");
        e.InnerException.Should().BeOfType<ArgumentException>();
    }

    [Fact]
    public void Factory_returning_something_else_is_the_wrong_shape()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.ReturnsObject()", AppLoadFailure.WrongShape);

        e.Message.Should().Contain("returned a LoadingFixtures.NotAnApp; expected an IGatewayApplication");
    }

    [Fact]
    public void Argument_list_on_a_property_is_the_wrong_shape()
    {
        AppLoadException e = LoadingFixture.LoadFails("LoadingFixtures.dll:Startup.App()", AppLoadFailure.WrongShape);

        e.Message.Should().Contain("property LoadingFixtures.Startup.App in").And.Contain("is a property, not a method");
    }
}
