using System.CommandLine;
using GatewayServer.Configuration;
using GatewayServer.Logging;
using GatewayServer.Master;
using GatewayServer.Operations;
using GatewayServer.Transport;

namespace GatewayServer.Cli;

/// <summary>
/// The <c>gwserve</c> command. Its options are generated from the settings table, so every
/// setting has a flag, help text with its default and environment variable, and validation that
/// reports one line naming the problem.
/// </summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        StartupWarmup.Begin();
        var target = new Argument<string?>("APP")
        {
            Description = "The application: ASSEMBLY[:NAME], e.g. MyApp.dll:App (NAME defaults to App).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var config = new Option<string>("--config", "-c")
        {
            Description = $"Read settings from this JSON file [default: {ConfigFile.DefaultName} in the working directory, if present] [env: {ConfigFile.EnvironmentVariable}]",
            HelpName = "FILE",
        };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the effective value and source of every setting, then exit." };
        var checkConfig = new Option<bool>("--check-config") { Description = "Check the settings and load the app in a throwaway context; exit 0, or 1 with the reason." };
        var printSettingsDoc = new Option<bool>("--print-settings-doc") { Hidden = true };
        var root = new RootCommand("gwserve: serve a .NET gateway application from a pool of worker processes.")
        {
            target, config, printConfig, checkConfig, printSettingsDoc,
        };
        Dictionary<Setting, Option> options = AddSettingOptions(root);

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return Fail($"{parsed.Errors[0].Message} (see gwserve --help)", ExitCodes.Usage);
        }

        if (parsed.Action is not null && parsed.CommandResult.Command == root && IsBuiltInAction(parsed))
        {
            return await parsed.InvokeAsync().ConfigureAwait(false);
        }

        if (parsed.GetValue(printSettingsDoc))
        {
            Console.Out.Write(SettingsDocument.Render());
            return ExitCodes.Success;
        }

        bool checking = parsed.GetValue(checkConfig);
        ServerSettings settings;
        try
        {
            settings = LoadSettings(parsed, options, parsed.GetValue(config));
        }
        catch (SettingException error)
        {
            return Fail(error.Message, checking ? ExitCodes.StartupFailed : ExitCodes.Usage);
        }

        if (parsed.GetValue(printConfig))
        {
            Console.Out.Write(SettingsReport.Render(settings));
            return ExitCodes.Success;
        }

        string? app = parsed.GetValue(target);
        if (string.IsNullOrWhiteSpace(app))
        {
            return Fail("no application given: gwserve ASSEMBLY[:NAME] (see gwserve --help)", ExitCodes.Usage);
        }

        if (WorkerExecutable.Problem is { } noWorkers)
        {
            return Fail(noWorkers, ExitCodes.StartupFailed);
        }

        if (checking)
        {
            return ConfigCheck.Run(app, settings);
        }

        ErrorLog log;
        try
        {
            log = ErrorLog.Open(settings.Get(Settings.ErrorLogfile), ErrorLog.ParseLevel(settings.Get(Settings.LogLevel)), settings.Get(Settings.LogFormat) == "json", workerId: null);
        }
        catch (IOException error)
        {
            return Fail(error.Message, ExitCodes.StartupFailed);
        }

        using (log)
        {
            log.Info("Starting gwserve {version}", typeof(CommandLine).Assembly.GetName().Version?.ToString(3));
            foreach (string warning in settings.Warnings)
            {
                log.Warning("{warning}", warning);
            }

            IReadOnlyList<int>? inherited = MasterEnvironment.TakeInheritedDescriptors();
            bool startedByUsr2 = inherited is not null;
            IReadOnlyList<ActivatedSocket>? activated = SocketActivation.Take() ?? MasterEnvironment.TakeInheritedActivation(inherited);
            if (activated is not null)
            {
                inherited = null;
            }

            var master = new MasterOptions
            {
                // HUP re-reads everything the settings came from (config file included); the sockets stay bound.
                Reload = () => LoadSettings(parsed, options, parsed.GetValue(config)),

                // Set by the master that re-executed this one (USR2): adopt its sockets instead of binding.
                InheritedDescriptors = inherited,

                // systemd socket activation (LISTEN_FDS), or the systemd sockets a USR2 predecessor handed on.
                ActivatedSockets = activated,

                WatchPaths = ReloadWatch.PathsFor(app, settings),
            };
            var masterProcess = new MasterProcess(app, settings, log, master);
            OperationsEndpoints operations;
            try
            {
                operations = OperationsEndpoints.Start(settings, masterProcess, log, predecessorMayHoldThem: startedByUsr2);
            }
            catch (IOException error)
            {
                log.Error($"Cannot listen: {error.Message}");
                return ExitCodes.StartupFailed;
            }

            // Disposed after the master's loop ends: /readyz answers 503 through the shutdown delay and the drain.
            using (operations)
            {
                return await masterProcess.RunAsync().ConfigureAwait(false);
            }
        }
    }

    private static Dictionary<Setting, Option> AddSettingOptions(Command command)
    {
        var options = new Dictionary<Setting, Option>();
        foreach (Setting setting in Settings.All)
        {
            Option option = SettingOptions.Create(setting);
            options[setting] = option;
            command.Add(option);
        }

        return options;
    }

    private static ServerSettings LoadSettings(ParseResult parsed, Dictionary<Setting, Option> options, string? configOption)
    {
        var environment = Environment.GetEnvironmentVariables();
        string? configPath = configOption ?? environment[ConfigFile.EnvironmentVariable] as string;
        if (configPath is null && File.Exists(ConfigFile.DefaultName))
        {
            configPath = ConfigFile.DefaultName;
        }

        return SettingsLoader.Load(new SettingSources
        {
            ConfigFileName = configPath,
            ConfigFile = configPath is null ? new Dictionary<Setting, IReadOnlyList<string>>() : ConfigFile.Read(configPath),
            Environment = environment,
            CommandArgs = ParseCommandArgs(environment[CommandArgs.EnvironmentVariable] as string),
            CommandLine = SettingOptions.ValuesOf(parsed, options),
        });
    }

    /// <summary><c>GWSERVE_CMD_ARGS</c>: setting options only, parsed by the same generated options.</summary>
    private static IReadOnlyDictionary<Setting, IReadOnlyList<string>> ParseCommandArgs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Dictionary<Setting, IReadOnlyList<string>>();
        }

        string source = $"environment variable {CommandArgs.EnvironmentVariable}";
        IReadOnlyList<string> args;
        try
        {
            args = CommandArgs.Split(text);
        }
        catch (SettingException error)
        {
            throw new SettingException($"{source}: {error.Message}");
        }

        var command = new RootCommand();
        Dictionary<Setting, Option> options = AddSettingOptions(command);
        ParseResult parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            throw new SettingException($"{source}: {parsed.Errors[0].Message} (only setting options are allowed there)");
        }

        return SettingOptions.ValuesOf(parsed, options);
    }

    private static bool IsBuiltInAction(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "--version");

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"gwserve: error: {message}");
        return exitCode;
    }
}
