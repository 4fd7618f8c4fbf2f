namespace GatewayServer.Configuration;

/// <summary>
/// One setting, declared once in <see cref="Settings"/>: its name (which gives the CLI flag, the
/// environment variable and the config-file key), section, default, help text and how its text
/// form is parsed and checked. The CLI, config binding, <c>--print-config</c> and
/// <c>docs/settings.md</c> are all derived from these declarations.
/// </summary>
public abstract class Setting
{
    protected Setting(string name, string section, string valueName, string help)
    {
        Name = name;
        Section = section;
        ValueName = valueName;
        Help = help;
    }

    /// <summary>The name, e.g. <c>graceful-timeout</c>; also the config-file key.</summary>
    public string Name { get; }

    public string Section { get; }

    /// <summary>What the value looks like in help text, e.g. <c>INT</c> or <c>HOST:PORT</c>.</summary>
    public string ValueName { get; }

    public string Help { get; }

    /// <summary>A one-letter alias such as <c>-w</c>.</summary>
    public string? ShortFlag { get; init; }

    /// <summary>Another environment variable honoured as a fallback, as Gunicorn honours <c>WEB_CONCURRENCY</c>.</summary>
    public string? FallbackEnvironmentVariable { get; init; }

    /// <summary>Whether the flag may be given several times (and the value is a list).</summary>
    public bool IsList { get; init; }

    /// <summary>Whether the setting is an on/off switch that takes no value on the command line.</summary>
    public bool IsSwitch { get; init; }

    public string Flag => "--" + Name;

    public string EnvironmentVariable => "GWSERVE_" + Name.ToUpperInvariant().Replace('-', '_');

    public abstract object DefaultValue { get; }

    /// <summary>Parses one value from its text form; throws <see cref="SettingException"/> saying what was expected.</summary>
    public abstract object Parse(IReadOnlyList<string> texts);

    /// <summary>The text form of a value, which <see cref="Parse"/> reads back.</summary>
    public abstract IReadOnlyList<string> Format(object value);

    public string FormatForDisplay(object value)
    {
        IReadOnlyList<string> texts = Format(value);
        return texts.Count == 0 || (texts.Count == 1 && texts[0].Length == 0) ? "(none)" : string.Join(", ", texts);
    }
}
