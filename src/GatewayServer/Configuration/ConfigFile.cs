using Microsoft.Extensions.Configuration;

namespace GatewayServer.Configuration;

/// <summary>
/// Reads a JSON config file (Microsoft.Extensions.Configuration) into the text form of each
/// setting it names. Keys are setting names as the table spells them (<c>"workers": 4</c>, a list
/// as an array: <c>"bind": ["127.0.0.1:8000"]</c>). Anything else is an error naming the key's path.
/// </summary>
public static class ConfigFile
{
    /// <summary>The file read from the working directory when no <c>--config</c> is given.</summary>
    public const string DefaultName = "gwserve.json";

    /// <summary>The environment variable naming a config file, below <c>--config</c>.</summary>
    public const string EnvironmentVariable = "GWSERVE_CONFIG";

    /// <exception cref="SettingException">One line: the file, the key's path and what is wrong.</exception>
    public static IReadOnlyDictionary<Setting, IReadOnlyList<string>> Read(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new SettingException($"config file {path}: not found");
        }

        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(fullPath, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException or IOException)
        {
            // The innermost exception is System.Text.Json's, which says where: "... LineNumber: 2 | BytePositionInLine: 0."
            Exception innermost = error;
            while (innermost.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            throw new SettingException($"config file {path}: not valid JSON: {innermost.Message.ReplaceLineEndings(" ")}");
        }

        var values = new Dictionary<Setting, IReadOnlyList<string>>();
        foreach (IConfigurationSection section in root.GetChildren())
        {
            Setting setting = Settings.Find(section.Key)
                ?? throw new SettingException($"config file {path}: unknown key \"{DisplayPath(section)}\" (not a setting; see gwserve --help)");
            values[setting] = ValuesOf(section, setting, path);
        }

        return values;
    }

    private static List<string> ValuesOf(IConfigurationSection section, Setting setting, string file)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return [section.Value ?? string.Empty];
        }

        if (!setting.IsList)
        {
            throw new SettingException($"config file {file}: key \"{DisplayPath(children[0])}\": {setting.Name} takes one value, not an object or array");
        }

        var values = new List<string>(children.Count);
        foreach (IConfigurationSection child in children.OrderBy(c => int.TryParse(c.Key, out int index) ? index : int.MaxValue))
        {
            if (!int.TryParse(child.Key, out _) || child.GetChildren().Any())
            {
                throw new SettingException($"config file {file}: key \"{DisplayPath(child)}\": {setting.Name} takes an array of strings");
            }

            values.Add(child.Value ?? string.Empty);
        }

        return values;
    }

    /// <summary>The key's path as a JSON reader would say it: <c>bind[1]</c>, <c>workers.count</c>.</summary>
    private static string DisplayPath(IConfigurationSection section)
    {
        var parts = section.Path.Split(ConfigurationPath.KeyDelimiter);
        var text = new System.Text.StringBuilder(parts[0]);
        for (int i = 1; i < parts.Length; i++)
        {
            text.Append(int.TryParse(parts[i], out _) ? $"[{parts[i]}]" : "." + parts[i]);
        }

        return text.ToString();
    }
}
