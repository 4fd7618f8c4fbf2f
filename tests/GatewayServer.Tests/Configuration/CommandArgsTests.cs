using GatewayServer.Configuration;

namespace GatewayServer.Tests.Configuration;

public sealed class CommandArgsTests
{
    [Theory]
    [InlineData("--workers 3", new[] { "--workers", "3" })]
    [InlineData("  --workers\t3  ", new[] { "--workers", "3" })]
    [InlineData("--access-logformat '%(h)s \"%(r)s\"'", new[] { "--access-logformat", "%(h)s \"%(r)s\"" })]
    [InlineData("--script-name \"/a b\" -w2", new[] { "--script-name", "/a b", "-w2" })]
    [InlineData("--chdir /a\\ b", new[] { "--chdir", "/a b" })]
    [InlineData("\"say \\\"hi\\\"\"", new[] { "say \"hi\"" })]
    [InlineData("''", new[] { "" })]
    [InlineData("", new string[0])]
    public void Splits_like_a_shell(string text, string[] expected)
    {
        CommandArgs.Split(text).Should().Equal(expected);
    }

    [Theory]
    [InlineData("--chdir 'open", "unterminated single quote")]
    [InlineData("--chdir \"open", "unterminated double quote")]
    [InlineData("--chdir x\\", "backslash at the end")]
    public void Broken_quoting_is_an_error(string text, string message)
    {
        Action split = () => CommandArgs.Split(text);

        split.Should().Throw<SettingException>().WithMessage(message);
    }
}
