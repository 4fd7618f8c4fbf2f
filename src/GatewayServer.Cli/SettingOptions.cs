using System.CommandLine;
using GatewayServer.Configuration;

namespace GatewayServer.Cli;

/// <summary>Builds the command-line option of a setting from its declaration.</summary>
internal static class SettingOptions
{
    public static Option Create(Setting setting)
    {
        string[] aliases = setting.ShortFlag is null ? [] : [setting.ShortFlag];
        string description = Describe(setting);
        if (setting.IsSwitch)
        {
            return new Option<bool>(setting.Flag, aliases) { Description = description };
        }

        if (setting.IsList)
        {
            return new Option<string[]>(setting.Flag, aliases)
            {
                Description = description,
                HelpName = setting.ValueName,
                AllowMultipleArgumentsPerToken = false,
            };
        }

        return new Option<string>(setting.Flag, aliases) { Description = description, HelpName = setting.ValueName };
    }

    /// <summary>The settings given on a command line, in their text form.</summary>
    public static Dictionary<Setting, IReadOnlyList<string>> ValuesOf(ParseResult parsed, IReadOnlyDictionary<Setting, Option> options)
    {
        var values = new Dictionary<Setting, IReadOnlyList<string>>();
        foreach ((Setting setting, Option option) in options)
        {
            if (parsed.GetResult(option) is null or { Implicit: true })
            {
                continue;
            }

            values[setting] = option switch
            {
                Option<string[]> list => parsed.GetValue(list) ?? [],
                Option<bool> flag => [ValueParsers.FormatBoolean(parsed.GetValue(flag))],
                Option<string> single => [parsed.GetValue(single) ?? string.Empty],
                _ => throw new InvalidOperationException($"no command-line form for {setting.Name}"),
            };
        }

        return values;
    }

    /// <summary>The help text: what it does, its default, and where else it can be set.</summary>
    public static string Describe(Setting setting)
    {
        string environment = setting.FallbackEnvironmentVariable is null
            ? setting.EnvironmentVariable
            : $"{setting.EnvironmentVariable}, {setting.FallbackEnvironmentVariable}";
        return $"{setting.Help} [default: {setting.FormatForDisplay(setting.DefaultValue)}] [env: {environment}]";
    }
}
