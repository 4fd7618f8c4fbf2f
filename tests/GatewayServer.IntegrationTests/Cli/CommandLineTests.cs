using System.Text.RegularExpressions;
using GatewayServer.Configuration;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_setting_with_its_flag_and_default()
    {
        using GwserveProcess gwserve = GwserveProcess.Launch(["--help"]);
        (await gwserve.WaitForExitAsync()).Should().Be(0);
        string output = gwserve.Output;

        foreach (Setting setting in Settings.All)
        {
            // The option's own row starts a line; its name may also appear in other options' help.
            Match row = Regex.Match(output, $@"^\s*(-\S+, )?{Regex.Escape(setting.Flag)}\b", RegexOptions.Multiline);
            row.Success.Should().BeTrue("--help must list {0}", setting.Flag);
            string help = Regex.Replace(output[row.Index..], @"\s+", " ");
            int flag = 0;
            int nextDefault = help.IndexOf("[default: ", flag, StringComparison.Ordinal);
            nextDefault.Should().BeGreaterThan(flag);
            string expected = $"[default: {setting.FormatForDisplay(setting.DefaultValue)}]";
            help[nextDefault..].Should().StartWith(expected, "the default of {0} follows its flag", setting.Flag);
        }
    }

    [Fact]
    public async Task Bad_option_value_prints_one_line_naming_the_setting_and_exits_non_zero()
    {
        using GwserveProcess gwserve = GwserveProcess.Launch([RepositoryLayout.Sample("HelloApp"), "--workers", "zero"]);

        int code = await gwserve.WaitForExitAsync();

        code.Should().NotBe(0);
        gwserve.Lines.Should().ContainSingle().Which.Should().Contain("--workers").And.Contain("zero");
        gwserve.WorkerPids().Should().BeEmpty();
    }
}
