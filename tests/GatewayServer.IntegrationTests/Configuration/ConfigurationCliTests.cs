using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Configuration;

public sealed class ConfigurationCliTests : IDisposable
{
    private static readonly string Target = RepositoryLayout.Sample("HelloApp") + ":App";

    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int ExitCode, IReadOnlyCollection<string> Lines)> RunAsync(string[] args, Dictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using GwserveProcess process = GwserveProcess.Launch(args, environment, workingDirectory);
        int exitCode = await process.WaitForExitAsync();
        await Task.Delay(100); // the last redirected lines arrive just after the exit
        return (exitCode, process.Lines);
    }

    private static string Line(IReadOnlyCollection<string> lines, string setting) =>
        lines.Single(l => l.StartsWith(setting + " ", StringComparison.Ordinal));

    [Fact]
    public async Task The_same_setting_from_all_four_sources_takes_the_command_lines_value()
    {
        File.WriteAllText(Path.Combine(_directory, "gwserve.json"), """{ "workers": 2, "threads": 7, "backlog": 9, "keep-alive": 3 }""");
        var environment = new Dictionary<string, string?>
        {
            ["GWSERVE_WORKERS"] = "3",
            ["GWSERVE_THREADS"] = "8",
            ["GWSERVE_CMD_ARGS"] = "--workers 4 --backlog 10",
        };

        var (exitCode, lines) = await RunAsync(["--print-config", "--workers", "5"], environment, _directory);

        exitCode.Should().Be(0);
        lines.First().Should().Be("# config file: gwserve.json");
        Line(lines, "workers").Should().MatchRegex(@"^workers\s+= 5  # command line$");
        Line(lines, "backlog").Should().MatchRegex(@"^backlog\s+= 10  # environment$");
        Line(lines, "threads").Should().MatchRegex(@"^threads\s+= 8  # environment$");
        Line(lines, "keep-alive").Should().MatchRegex(@"^keep-alive\s+= 3  # config file$");
        Line(lines, "graceful-timeout").Should().MatchRegex(@"^graceful-timeout\s+= 30  # default$");
    }

    [Fact]
    public async Task Print_config_lists_every_setting_of_the_help()
    {
        var (_, help) = await RunAsync(["--help"]);
        var (exitCode, config) = await RunAsync(["--print-config"]);

        exitCode.Should().Be(0);
        string helpText = string.Join("\n", help);
        foreach (string line in config.Where(l => !l.StartsWith('#')))
        {
            string name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            helpText.Should().Contain("--" + name);
        }

        config.Count(l => !l.StartsWith('#')).Should().Be(GatewayServer.Configuration.Settings.All.Count);
    }

    [Fact]
    public async Task An_explicit_config_file_with_an_unknown_key_is_one_line_and_exit_code_2()
    {
        string path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, """{ "workers": 2, "log": { "level": "debug" } }""");

        var (exitCode, lines) = await RunAsync(["-c", path, Target]);

        exitCode.Should().Be(2);
        lines.Should().Equal($"gwserve: error: config file {path}: unknown key \"log\" (not a setting; see gwserve --help)");
    }

    [Fact]
    public async Task A_config_file_with_a_wrong_type_names_the_setting_the_source_and_what_was_expected()
    {
        File.WriteAllText(Path.Combine(_directory, "gwserve.json"), """{ "graceful-timeout": "soon" }""");

        var (exitCode, lines) = await RunAsync([Target], workingDirectory: _directory);

        exitCode.Should().Be(2);
        lines.Should().Equal("gwserve: error: config file gwserve.json: invalid value \"soon\" for graceful-timeout: expected a number of seconds of at least 0");
    }

    [Fact]
    public async Task A_bad_value_in_gwserve_cmd_args_is_one_line_and_exit_code_2()
    {
        var (exitCode, lines) = await RunAsync([Target], new() { ["GWSERVE_CMD_ARGS"] = "--log-level 'very loud'" });

        exitCode.Should().Be(2);
        lines.Should().Equal("gwserve: error: environment variable GWSERVE_CMD_ARGS, option --log-level: invalid value \"very loud\" for log-level: expected one of debug, info, warning, error, critical");
    }

    [Fact]
    public async Task Check_config_loads_a_good_app_and_exits_0()
    {
        var (exitCode, lines) = await RunAsync(["--check-config", Target]);

        exitCode.Should().Be(0);
        lines.Should().ContainSingle().Which.Should().StartWith("gwserve: configuration OK; app type HelloApp.App");
    }

    [Fact]
    public async Task Check_config_on_a_broken_target_exits_1_with_the_reason()
    {
        var (exitCode, lines) = await RunAsync(["--check-config", RepositoryLayout.Sample("HelloApp") + ":Missing"]);

        exitCode.Should().Be(1);
        lines.Should().ContainSingle().Which.Should().StartWith("gwserve: error: app target ").And.Contain("\"Missing\" not found");
    }

    [Fact]
    public async Task Check_config_reports_a_log_file_in_a_missing_directory()
    {
        var (exitCode, lines) = await RunAsync(["--check-config", Target, "--access-logfile", "/nonexistent-dir/access.log"]);

        exitCode.Should().Be(1);
        lines.Should().Equal("gwserve: error: access-logfile: directory /nonexistent-dir does not exist");
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exitCode, lines) = await RunAsync(["--version"]);

        exitCode.Should().Be(0);
        lines.Should().ContainSingle().Which.Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }
}
