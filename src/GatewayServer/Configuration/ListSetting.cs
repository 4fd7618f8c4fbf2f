namespace GatewayServer.Configuration;

/// <summary>A setting given any number of times, whose value is the list of what was given.</summary>
public sealed class ListSetting<T> : Setting
    where T : notnull
{
    private readonly Func<string, T> _parse;
    private readonly Func<T, string> _format;

    public ListSetting(string name, string section, string valueName, IReadOnlyList<T> defaultValue, Func<string, T> parse, Func<T, string> format, string help)
        : base(name, section, valueName, help)
    {
        Default = defaultValue;
        _parse = parse;
        _format = format;
        IsList = true;
    }

    public IReadOnlyList<T> Default { get; }

    public override object DefaultValue => Default;

    public override object Parse(IReadOnlyList<string> texts)
    {
        var values = new List<T>(texts.Count);
        foreach (string text in texts)
        {
            values.Add(_parse(text.Trim()));
        }

        return values;
    }

    public override IReadOnlyList<string> Format(object value)
    {
        var texts = new List<string>();
        foreach (T item in (IReadOnlyList<T>)value)
        {
            texts.Add(_format(item));
        }

        return texts;
    }
}
