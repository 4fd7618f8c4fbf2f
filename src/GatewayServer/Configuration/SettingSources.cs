using System.Collections;

namespace GatewayServer.Configuration;

/// <summary>What each source says, in the settings' text form, before <see cref="SettingsLoader"/> layers them.</summary>
public sealed class SettingSources
{
    private static readonly IReadOnlyDictionary<Setting, IReadOnlyList<string>> None = new Dictionary<Setting, IReadOnlyList<string>>();

    /// <summary>The config file as given (for messages), or null when none was read.</summary>
    public string? ConfigFileName { get; init; }

    public IReadOnlyDictionary<Setting, IReadOnlyList<string>> ConfigFile { get; init; } = None;

    public IDictionary Environment { get; init; } = new Hashtable();

    /// <summary>The options found in <c>GWSERVE_CMD_ARGS</c>.</summary>
    public IReadOnlyDictionary<Setting, IReadOnlyList<string>> CommandArgs { get; init; } = None;

    public IReadOnlyDictionary<Setting, IReadOnlyList<string>> CommandLine { get; init; } = None;
}
