using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

public class AppTargetParseTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "gwserve-base");

    [Fact]
    public void Assembly_and_name_split_at_the_colon()
    {
        AppTarget target = AppTarget.Parse("MyApp.dll:Startup.App", Base);

        target.AssemblyPath.Should().Be(Path.Combine(Base, "MyApp.dll"));
        target.Name.Should().Be("Startup.App");
        target.Arguments.Should().BeNull();
        target.Text.Should().Be("MyApp.dll:Startup.App");
    }

    [Fact]
    public void Omitted_name_means_App()
    {
        AppTarget.Parse("MyApp.dll", Base).Name.Should().Be("App");
    }

    [Fact]
    public void Assembly_without_extension_means_the_dll_of_that_name()
    {
        AppTarget.Parse("MyApp:App", Base).AssemblyPath.Should().Be(Path.Combine(Base, "MyApp.dll"));
    }

    [Fact]
    public void Relative_path_resolves_against_the_base_directory_and_absolute_path_is_kept()
    {
        AppTarget.Parse("bin/../out/MyApp.dll", Base).AssemblyPath.Should().Be(Path.Combine(Base, "out", "MyApp.dll"));
        AppTarget.Parse("/srv/app/MyApp.dll:App", Base).AssemblyPath.Should().Be(Path.GetFullPath("/srv/app/MyApp.dll"));
    }

    [Fact]
    public void Factory_call_parses_every_kind_of_literal()
    {
        AppTarget target = AppTarget.Parse("MyApp.dll:Startup.Create(\"prod\", 3, -4, 5000000000, 2.5, 1e3, true, false, null)", Base);

        target.Name.Should().Be("Startup.Create");
        target.Arguments.Should().Equal("prod", 3, -4, 5000000000L, 2.5, 1000.0, true, false, null);
    }

    [Fact]
    public void Empty_argument_list_is_a_call_with_no_arguments()
    {
        AppTarget.Parse("MyApp.dll:Startup.Create()", Base).Arguments.Should().BeEmpty();
    }

    [Fact]
    public void String_literal_unescapes_quotes_backslashes_and_control_escapes()
    {
        AppTarget target = AppTarget.Parse(@"MyApp.dll:Startup.Create(""a \""quoted\"" C:\\dir\n\u00e9"")", Base);

        target.Arguments.Should().Equal("a \"quoted\" C:\\dir\n\u00e9");
    }

    [Fact]
    public void Colon_inside_a_string_argument_does_not_split_the_target()
    {
        AppTarget target = AppTarget.Parse("MyApp.dll:Startup.Create(\"http://localhost:8000\")", Base);

        target.AssemblyPath.Should().EndWith("MyApp.dll");
        target.Arguments.Should().Equal("http://localhost:8000");
    }

    [Fact]
    public void Whitespace_between_tokens_is_allowed()
    {
        AppTarget target = AppTarget.Parse("MyApp.dll: Startup . Create ( \"x\" , 1 ) ", Base);

        target.Name.Should().Be("Startup.Create");
        target.Arguments.Should().Equal("x", 1);
    }

    [Fact]
    public void Nested_type_may_be_written_with_a_plus()
    {
        AppTarget.Parse("MyApp.dll:Outer+Inner", Base).Name.Should().Be("Outer+Inner");
    }

    [Theory]
    [InlineData("Foo.dll:Startup.Create(\"unterminated", "unterminated string literal starting at column 24")]
    [InlineData("Foo.dll:", "the name after ':' is empty")]
    [InlineData(":App", "no assembly before ':'")]
    [InlineData("Foo.dll:Startup.Create(Environment.GetEnvironmentVariable(\"X\"))", "unsupported argument 'Environment' at column 24")]
    [InlineData("Foo.dll:Startup.Create(1 + 2)", "expected ',' or ')' after argument 1")]
    [InlineData("Foo.dll:Startup.Create(\"a\"", "expected ',' or ')' after argument 1")]
    [InlineData("Foo.dll:Startup.Create(\"a\").Run()", "after the argument list")]
    [InlineData("Foo.dll:Startup.Create(3L)", "invalid number at column 24")]
    [InlineData("Foo.dll:Startup.Create(99999999999999999999)", "out of range")]
    [InlineData("Foo.dll:Startup.Create(\"\\q\")", "unsupported escape '\\q'")]
    [InlineData("Foo.dll:Startup.", "expected a name after '.'")]
    [InlineData("Foo.dll:Startup Create", "unexpected 'Create' at column 17")]
    [InlineData("Foo.dll:new App()", "unexpected 'App' at column 13")]
    [InlineData("Foo.dll:x => x", "unexpected character '=' at column 11")]
    public void Malformed_target_is_an_invalid_target_with_a_one_line_message(string text, string expected)
    {
        Action parse = () => AppTarget.Parse(text, Base);

        AppLoadException e = parse.Should().Throw<AppLoadException>().Which;
        e.Failure.Should().Be(AppLoadFailure.InvalidTarget);
        e.ExitCode.Should().Be(10);
        e.Message.Should().StartWith($"app target \"{text}\": ").And.Contain(expected).And.NotContainAny("\n", "\r");
    }
}
