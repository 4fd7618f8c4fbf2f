using System.Collections;
using System.CommandLine;
using GatewayServer.Configuration;

namespace GatewayServer.Cli;

/// <summary>
/// Builds the effective settings: defaults, then the environment (<c>GWSERVE_NAME</c> and the
/// fallbacks Gunicorn users know, <c>WEB_CONCURRENCY</c> and <c>PORT</c>), then the command line.
/// </summary>
internal static class SettingsLoader
{
    public static ServerSettings Load(ParseResult parsed, IReadOnlyDictionary<Setting, Option> options, IDictionary environment)
    {
        var settings = new ServerSettings();
        foreach (Setting setting in Settings.All)
        {
            string? fromEnvironment = environment[setting.EnvironmentVariable] as string;
            string name = setting.EnvironmentVariable;
            if (fromEnvironment is null && setting.FallbackEnvironmentVariable is { } fallback)
            {
                fromEnvironment = environment[fallback] as string;
                name = fallback;
            }

            if (fromEnvironment is not null)
            {
                IReadOnlyList<string> texts = setting.IsList ? fromEnvironment.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [fromEnvironment];
                settings.SetFromText(setting, texts, SettingSource.Environment, $"environment variable {name}");
            }

            IReadOnlyList<string>? fromCommandLine = CommandLineValue(parsed, options[setting], setting);
            if (fromCommandLine is not null)
            {
                settings.SetFromText(setting, fromCommandLine, SettingSource.CommandLine, $"option {setting.Flag}");
            }
        }

        // Gunicorn binds 0.0.0.0:$PORT when PORT is set and no bind was given (Heroku and friends).
        if (settings.SourceOf(Settings.Bind) == SettingSource.Default && environment["PORT"] is string port)
        {
            settings.SetFromText(Settings.Bind, [$"0.0.0.0:{port}"], SettingSource.Environment, "environment variable PORT");
        }

        return settings;
    }

    private static IReadOnlyList<string>? CommandLineValue(ParseResult parsed, Option option, Setting setting)
    {
        if (parsed.GetResult(option) is null)
        {
            return null;
        }

        return option switch
        {
            Option<string[]> list => parsed.GetValue(list),
            Option<bool> flag => [ValueParsers.FormatBoolean(parsed.GetValue(flag))],
            Option<string> single => [parsed.GetValue(single) ?? string.Empty],
            _ => throw new InvalidOperationException($"no command-line form for {setting.Name}"),
        };
    }
}
