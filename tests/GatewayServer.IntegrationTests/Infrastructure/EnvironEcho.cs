using System.Text.Json;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>What TestApps' <c>/environ</c> answered: the environ keys a proxy or TLS can change.</summary>
public sealed class EnvironEcho
{
    private readonly Dictionary<string, string?> _values;

    private EnvironEcho(Dictionary<string, string?> values)
    {
        _values = values;
    }

    public string? this[string key] => _values.TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException(key);

    public static EnvironEcho Parse(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? throw new InvalidDataException("not a JSON object: " + json));

    public static EnvironEcho Parse(byte[] json) => Parse(System.Text.Encoding.UTF8.GetString(json));

    public override string ToString() => JsonSerializer.Serialize(_values);
}
