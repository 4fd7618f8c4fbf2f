namespace GatewayServer.Logging;

/// <summary>Receives one entry per response; absent (null) when the access log is off, so it then costs nothing.</summary>
public interface IAccessLog
{
    void Log(in AccessLogEntry entry);
}
