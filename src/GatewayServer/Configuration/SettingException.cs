namespace GatewayServer.Configuration;

/// <summary>A setting's value could not be read; the message says what was expected.</summary>
public sealed class SettingException(string message) : Exception(message);
