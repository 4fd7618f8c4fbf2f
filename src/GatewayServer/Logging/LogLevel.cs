namespace GatewayServer.Logging;

/// <summary>Severity of an error-log line, Gunicorn's names.</summary>
public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
    Critical,
}
