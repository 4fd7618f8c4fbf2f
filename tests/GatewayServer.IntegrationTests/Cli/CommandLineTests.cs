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
        string help = Regex.Replace(gwserve.Output, @"\s+", " ");

        foreach (Setting setting in Settings.All)
        {
            int flag = help.IndexOf($"{setting.Flag} ", StringComparison.Ordinal);
            flag.Should().BeGreaterThanOrEqualTo(0, "--help must list {0}", setting.Flag);
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
