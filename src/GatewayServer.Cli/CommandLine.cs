using System.CommandLine;
using GatewayServer.Configuration;
using GatewayServer.Logging;
using GatewayServer.Master;

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
        var target = new Argument<string?>("APP")
        {
            Description = "The application: ASSEMBLY[:NAME], e.g. MyApp.dll:App (NAME defaults to App).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var root = new RootCommand("gwserve: serve a .NET gateway application from a pool of worker processes.") { target };
        var options = new Dictionary<Setting, Option>();
        foreach (Setting setting in Settings.All)
        {
            Option option = SettingOptions.Create(setting);
            options[setting] = option;
            root.Add(option);
        }

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return Fail($"{parsed.Errors[0].Message} (see gwserve --help)", ExitCodes.Usage);
        }

        if (parsed.Action is not null && parsed.CommandResult.Command == root && IsBuiltInAction(parsed))
        {
            return await parsed.InvokeAsync().ConfigureAwait(false);
        }

        string? app = parsed.GetValue(target);
        if (string.IsNullOrWhiteSpace(app))
        {
            return Fail("no application given: gwserve ASSEMBLY[:NAME] (see gwserve --help)", ExitCodes.Usage);
        }

        ServerSettings settings;
        try
        {
            settings = SettingsLoader.Load(parsed, options, Environment.GetEnvironmentVariables());
        }
        catch (SettingException error)
        {
            return Fail(error.Message, ExitCodes.Usage);
        }

        ErrorLog log = ErrorLog.ToStandardError(ErrorLog.ParseLevel(settings.Get(Settings.LogLevel)));
        log.Info($"Starting gwserve {typeof(CommandLine).Assembly.GetName().Version?.ToString(3)}");
        var master = new MasterOptions
        {
            // HUP re-reads everything the settings came from; the sockets stay bound.
            Reload = () => SettingsLoader.Load(parsed, options, Environment.GetEnvironmentVariables()),

            // Set by the master that re-executed this one (USR2): adopt its sockets instead of binding.
            InheritedDescriptors = MasterEnvironment.TakeInheritedDescriptors(),
        };
        return await new MasterProcess(app, settings, log, master).RunAsync().ConfigureAwait(false);
    }

    private static bool IsBuiltInAction(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "--version");

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"gwserve: error: {message}");
        return exitCode;
    }
}
