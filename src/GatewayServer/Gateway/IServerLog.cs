namespace GatewayServer.Gateway;

/// <summary>The log calls the gateway layer makes; implemented by the worker's error log.</summary>
public interface IServerLog
{
    void AppError(string method, string target, Exception error);

    void AppResponseError(string detail);

    void BadRequest(string remote, int status, string reason);

    void ConnectionError(Exception error);

    /// <summary>A line the application wrote to <c>gateway.errors</c>.</summary>
    void AppMessage(string line);
}
