namespace GatewayServer.Configuration;

/// <summary>Where a setting's effective value came from, lowest precedence first.</summary>
public enum SettingSource
{
    Default,
    ConfigFile,
    Environment,
    CommandLine,
}
