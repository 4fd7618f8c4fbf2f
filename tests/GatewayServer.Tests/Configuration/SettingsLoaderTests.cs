using System.Collections;
using GatewayServer.Configuration;

namespace GatewayServer.Tests.Configuration;

public sealed class SettingsLoaderTests
{
    private static Dictionary<Setting, IReadOnlyList<string>> Values(Setting setting, params string[] texts) => new() { [setting] = texts };

    [Fact]
    public void Each_source_overrides_the_one_below_it()
    {
        var sources = new SettingSources
        {
            ConfigFileName = "gwserve.json",
            ConfigFile = new Dictionary<Setting, IReadOnlyList<string>> { [Settings.Workers] = ["2"], [Settings.Threads] = ["8"], [Settings.Backlog] = ["16"], [Settings.KeepAlive] = ["1"] },
            Environment = new Hashtable { ["GWSERVE_WORKERS"] = "3", ["GWSERVE_THREADS"] = "9", ["GWSERVE_BACKLOG"] = "17" },
            CommandArgs = new Dictionary<Setting, IReadOnlyList<string>> { [Settings.Workers] = ["4"], [Settings.Threads] = ["10"] },
            CommandLine = Values(Settings.Workers, "5"),
        };

        ServerSettings settings = SettingsLoader.Load(sources);

        settings.Get(Settings.Workers).Should().Be(5);
        settings.SourceOf(Settings.Workers).Should().Be(SettingSource.CommandLine);
        settings.Get(Settings.Threads).Should().Be(10);
        settings.SourceOf(Settings.Threads).Should().Be(SettingSource.Environment);
        settings.Get(Settings.Backlog).Should().Be(17);
        settings.SourceOf(Settings.Backlog).Should().Be(SettingSource.Environment);
        settings.Get(Settings.KeepAlive).Should().Be(TimeSpan.FromSeconds(1));
        settings.SourceOf(Settings.KeepAlive).Should().Be(SettingSource.ConfigFile);
        settings.Get(Settings.GracefulTimeout).Should().Be(TimeSpan.FromSeconds(30));
        settings.SourceOf(Settings.GracefulTimeout).Should().Be(SettingSource.Default);
    }

    [Fact]
    public void Web_concurrency_is_a_fallback_below_gwserve_workers()
    {
        SettingsLoader.Load(new SettingSources { Environment = new Hashtable { ["WEB_CONCURRENCY"] = "6" } }).Get(Settings.Workers).Should().Be(6);
        SettingsLoader.Load(new SettingSources { Environment = new Hashtable { ["WEB_CONCURRENCY"] = "6", ["GWSERVE_WORKERS"] = "2" } }).Get(Settings.Workers).Should().Be(2);
    }

    [Fact]
    public void A_list_in_the_environment_is_separated_by_commas()
    {
        ServerSettings settings = SettingsLoader.Load(new SettingSources { Environment = new Hashtable { ["GWSERVE_BIND"] = "127.0.0.1:1, unix:/tmp/s" } });

        settings.Get(Settings.Bind).Select(b => b.ToString()).Should().Equal("127.0.0.1:1", "unix:/tmp/s");
    }

    [Theory]
    [InlineData("config", "config file gwserve.json: invalid value \"many\" for workers: expected an integer from 1 to 1024")]
    [InlineData("environment", "environment variable GWSERVE_WORKERS: invalid value \"many\" for workers: expected an integer from 1 to 1024")]
    [InlineData("cmd-args", "environment variable GWSERVE_CMD_ARGS, option --workers: invalid value \"many\" for workers: expected an integer from 1 to 1024")]
    [InlineData("command-line", "option --workers: invalid value \"many\" for workers: expected an integer from 1 to 1024")]
    public void A_bad_value_names_its_source_the_setting_and_what_was_expected(string source, string message)
    {
        var bad = Values(Settings.Workers, "many");
        var sources = source switch
        {
            "config" => new SettingSources { ConfigFileName = "gwserve.json", ConfigFile = bad },
            "environment" => new SettingSources { Environment = new Hashtable { ["GWSERVE_WORKERS"] = "many" } },
            "cmd-args" => new SettingSources { CommandArgs = bad },
            _ => new SettingSources { CommandLine = bad },
        };

        Action load = () => SettingsLoader.Load(sources);

        load.Should().Throw<SettingException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void Unknown_gwserve_variables_are_reported_but_internal_ones_are_not()
    {
        ServerSettings settings = SettingsLoader.Load(new SettingSources
        {
            Environment = new Hashtable
            {
                ["GWSERVE_WOKERS"] = "3",
                ["GWSERVE_WORKER_CONTROL_FD"] = "5",
                ["GWSERVE_WORKER_LISTEN_FDS"] = "3,4",
                ["GWSERVE_CMD_ARGS"] = "",
                ["GWSERVE_CONFIG"] = "x.json",
            },
        });

        settings.Warnings.Should().Equal("environment variable GWSERVE_WOKERS is not a setting; ignored");
    }
}
