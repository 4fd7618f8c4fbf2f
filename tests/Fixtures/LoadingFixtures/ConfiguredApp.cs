namespace LoadingFixtures;

/// <summary>Has no parameterless constructor: only <c>ConfiguredApp("name")</c> builds it.</summary>
public sealed class ConfiguredApp : TextApp
{
    public ConfiguredApp(string name) : base($"ConfiguredApp({name})")
    {
    }

    public ConfiguredApp(string name, int port) : base($"ConfiguredApp({name}, {port})")
    {
    }
}
