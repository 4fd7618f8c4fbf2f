namespace GatewayServer.Configuration;

/// <summary>A setting whose value is a <typeparamref name="T"/>.</summary>
public sealed class Setting<T> : Setting
    where T : notnull
{
    private readonly Func<string, T> _parse;
    private readonly Func<T, string> _format;

    public Setting(string name, string section, string valueName, T defaultValue, Func<string, T> parse, Func<T, string> format, string help)
        : base(name, section, valueName, help)
    {
        Default = defaultValue;
        _parse = parse;
        _format = format;
    }

    public T Default { get; }

    public override object DefaultValue => Default;

    public override object Parse(IReadOnlyList<string> texts)
    {
        if (texts.Count != 1)
        {
            throw new SettingException($"expected one value, got {texts.Count}");
        }

        return _parse(texts[0].Trim());
    }

    public override IReadOnlyList<string> Format(object value) => [_format((T)value)];
}
