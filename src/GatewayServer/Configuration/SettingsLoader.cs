using System.Collections;

namespace GatewayServer.Configuration;

/// <summary>
/// Builds the effective settings from their sources, lowest precedence first: the defaults, the
/// config file, the environment (<c>GWSERVE_NAME</c>, the fallbacks Gunicorn users know —
/// <c>WEB_CONCURRENCY</c>, <c>PORT</c> — then the options in <c>GWSERVE_CMD_ARGS</c>), and the
/// command line. Every setting goes through the table's parser, so every source reports a bad
/// value the same way: source, setting, what was expected.
/// </summary>
public static class SettingsLoader
{
    /// <summary>Environment variables with the GWSERVE_ prefix that are not settings.</summary>
    private static readonly string[] NotSettings =
    [
        CommandArgs.EnvironmentVariable,
        ConfigFile.EnvironmentVariable,
        "GWSERVE_WORKER_CONTROL_FD",
        "GWSERVE_WORKER_LISTEN_FDS",
        "GWSERVE_WORKER_SCOREBOARD_FD",
        "GWSERVE_INHERIT_FDS",
        "GWSERVE_INHERIT_ACTIVATED",
    ];

    /// <exception cref="SettingException">One line naming the source, the setting and what was expected.</exception>
    public static ServerSettings Load(SettingSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var settings = new ServerSettings { ConfigFile = sources.ConfigFileName };
        foreach (Setting setting in Settings.All)
        {
            if (sources.ConfigFile.TryGetValue(setting, out IReadOnlyList<string>? fromFile))
            {
                settings.SetFromText(setting, fromFile, SettingSource.ConfigFile, $"config file {sources.ConfigFileName}");
            }

            ApplyEnvironment(settings, setting, sources.Environment);
            if (sources.CommandArgs.TryGetValue(setting, out IReadOnlyList<string>? fromCommandArgs))
            {
                settings.SetFromText(setting, fromCommandArgs, SettingSource.Environment, $"environment variable {CommandArgs.EnvironmentVariable}, option {setting.Flag}");
            }

            if (sources.CommandLine.TryGetValue(setting, out IReadOnlyList<string>? fromCommandLine))
            {
                settings.SetFromText(setting, fromCommandLine, SettingSource.CommandLine, $"option {setting.Flag}");
            }
        }

        // Gunicorn binds 0.0.0.0:$PORT when PORT is set and no bind was given (Heroku and friends).
        if (settings.SourceOf(Settings.Bind) == SettingSource.Default && sources.Environment["PORT"] is string port)
        {
            settings.SetFromText(Settings.Bind, [$"0.0.0.0:{port}"], SettingSource.Environment, "environment variable PORT");
        }

        WarnAboutUnknownVariables(settings, sources.Environment);
        return settings;
    }

    private static void ApplyEnvironment(ServerSettings settings, Setting setting, IDictionary environment)
    {
        string? text = environment[setting.EnvironmentVariable] as string;
        string name = setting.EnvironmentVariable;
        if (text is null && setting.FallbackEnvironmentVariable is { } fallback)
        {
            text = environment[fallback] as string;
            name = fallback;
        }

        if (text is not null)
        {
            IReadOnlyList<string> texts = setting.IsList ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [text];
            settings.SetFromText(setting, texts, SettingSource.Environment, $"environment variable {name}");
        }
    }

    /// <summary>A misspelt GWSERVE_ variable would otherwise be silently ignored.</summary>
    private static void WarnAboutUnknownVariables(ServerSettings settings, IDictionary environment)
    {
        foreach (object? key in environment.Keys)
        {
            if (key is string name && name.StartsWith("GWSERVE_", StringComparison.Ordinal) && !IsKnownVariable(name))
            {
                settings.Warnings.Add($"environment variable {name} is not a setting; ignored");
            }
        }
    }

    private static bool IsKnownVariable(string name)
    {
        if (Array.IndexOf(NotSettings, name) >= 0)
        {
            return true;
        }

        foreach (Setting setting in Settings.All)
        {
            if (setting.EnvironmentVariable == name)
            {
                return true;
            }
        }

        return false;
    }
}
