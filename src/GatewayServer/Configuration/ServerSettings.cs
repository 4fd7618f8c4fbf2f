namespace GatewayServer.Configuration;

/// <summary>The effective value of every setting, and where each came from.</summary>
public sealed class ServerSettings
{
    private readonly Dictionary<Setting, (object Value, SettingSource Source)> _values = [];

    /// <summary>The config file the settings were read from, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Problems worth logging once the error log exists (unknown GWSERVE_ variables).</summary>
    public List<string> Warnings { get; } = [];

    public T Get<T>(Setting<T> setting)
        where T : notnull => _values.TryGetValue(setting, out var entry) ? (T)entry.Value : setting.Default;

    public IReadOnlyList<T> Get<T>(ListSetting<T> setting)
        where T : notnull => _values.TryGetValue(setting, out var entry) ? (IReadOnlyList<T>)entry.Value : setting.Default;

    public object GetValue(Setting setting) => _values.TryGetValue(setting, out var entry) ? entry.Value : setting.DefaultValue;

    public SettingSource SourceOf(Setting setting) => _values.TryGetValue(setting, out var entry) ? entry.Source : SettingSource.Default;

    public void Set(Setting setting, object value, SettingSource source) => _values[setting] = (value, source);

    /// <summary>
    /// Parses <paramref name="texts"/> for <paramref name="setting"/>; a failure names the setting,
    /// the source and what was expected, in one line.
    /// </summary>
    public void SetFromText(Setting setting, IReadOnlyList<string> texts, SettingSource source, string sourceName)
    {
        try
        {
            Set(setting, setting.Parse(texts), source);
        }
        catch (SettingException error)
        {
            throw new SettingException($"{sourceName}: invalid value \"{string.Join(" ", texts)}\" for {setting.Name}: {error.Message}");
        }
    }
}
