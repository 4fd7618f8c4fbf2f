using GatewayServer.Configuration;

namespace GatewayServer.Control;

/// <summary>
/// What the master tells a new worker before it boots: its id, the app target and the effective
/// settings, as <c>name=value</c> lines in the settings table's own text form, ended by an empty
/// line. Sending settings this way (not on the command line or in the environment) keeps them out
/// of the app's environment and lets a reload hand new workers new settings.
/// </summary>
public sealed record WorkerHandshake(int WorkerId, string Target, ServerSettings Settings)
{
    private const string TargetKey = "target";
    private const string WorkerIdKey = "worker-id";

    public IEnumerable<string> ToLines()
    {
        yield return $"{WorkerIdKey}={WorkerId}";
        yield return $"{TargetKey}={Target}";
        foreach (Setting setting in Configuration.Settings.All)
        {
            foreach (string value in setting.Format(Settings.GetValue(setting)))
            {
                yield return $"{setting.Name}={value}";
            }
        }

        yield return string.Empty;
    }

    public static async Task<WorkerHandshake> ReadAsync(ControlChannel channel)
    {
        var texts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (await channel.ReadLineAsync().ConfigureAwait(false) is { Length: > 0 } line)
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            string key = line[..equals];
            if (!texts.TryGetValue(key, out List<string>? values))
            {
                texts[key] = values = [];
            }

            values.Add(line[(equals + 1)..]);
        }

        var settings = new ServerSettings();
        foreach (Setting setting in Configuration.Settings.All)
        {
            settings.Set(setting, setting.Parse(texts.TryGetValue(setting.Name, out List<string>? values) ? values : []), SettingSource.Default);
        }

        return new WorkerHandshake(int.Parse(texts[WorkerIdKey][0], System.Globalization.CultureInfo.InvariantCulture), texts[TargetKey][0], settings);
    }
}
