using GatewayServer.Configuration;

namespace GatewayServer.Control;

/// <summary>
/// What the master tells a new worker before it boots: its id, the app target and the effective
/// settings, as <c>name=value</c> lines in the settings table's own text form, ended by an empty
/// line. Sending settings this way (not on the command line or in the environment) keeps them out
/// of the app's environment and lets a reload hand new workers new settings. Settings at their
/// default are left out, and the worker keeps the default: parsing their text is start-up time
/// spent on the path to the first response.
/// </summary>
public sealed record WorkerHandshake(int WorkerId, string Target, ServerSettings Settings, int Generation = 1)
{
    private const string TargetKey = "target";
    private const string WorkerIdKey = "worker-id";
    private const string GenerationKey = "generation";

    public IEnumerable<string> ToLines()
    {
        yield return $"{WorkerIdKey}={WorkerId}";
        yield return $"{TargetKey}={Target}";
        yield return $"{GenerationKey}={Generation}";
        foreach (Setting setting in Configuration.Settings.All)
        {
            IReadOnlyList<string> values = setting.Format(Settings.GetValue(setting));
            if (values.SequenceEqual(setting.Format(setting.DefaultValue)))
            {
                continue;
            }

            // An empty list would read back as the default; no list setting with a non-empty default may be empty.
            if (values.Count == 0)
            {
                throw new InvalidOperationException($"{setting.Name} cannot be sent empty: its default is not");
            }

            foreach (string value in values)
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
            if (texts.TryGetValue(setting.Name, out List<string>? values))
            {
                settings.Set(setting, setting.Parse(values), SettingSource.Default);
            }
        }

        int generation = texts.TryGetValue(GenerationKey, out List<string>? generations) ? int.Parse(generations[0], System.Globalization.CultureInfo.InvariantCulture) : 1;
        return new WorkerHandshake(int.Parse(texts[WorkerIdKey][0], System.Globalization.CultureInfo.InvariantCulture), texts[TargetKey][0], settings, generation);
    }
}
