namespace GatewayServer.Engine;

/// <summary>The log calls the gateway layer makes; implemented by the worker's error log.</summary>
public interface IServerLog
{
    void AppError(string method, string target, Exception error);

    void AppResponseError(string detail);

    void BadRequest(string remote, int status, string reason);

    void ConnectionError(Exception error);

    /// <summary>A connection failed on a fault of the server's own, not the client's nor the application's; the worker serves on.</summary>
    void ConnectionFailed(Exception error);

    /// <summary>A trusted proxy's <paramref name="header"/> was ignored, for <paramref name="reason"/>; the value is not logged, as a client may have written it.</summary>
    void IgnoredProxyHeader(string header, string reason)
    {
    }

    /// <summary>A line the application wrote to <c>gateway.errors</c>.</summary>
    void AppMessage(string line);

    /// <summary>A connection was closed because its client did not take a response at <c>--min-response-rate</c>.</summary>
    void ResponseNotRead(string remote) => ConnectionError(new IOException($"{remote} did not read its response"));

    /// <summary>A request ran past <c>--request-timeout</c>; <paramref name="answered"/> says whether the client got a 504.</summary>
    void RequestTimedOut(string method, string target, TimeSpan age, bool answered) =>
        AppResponseError($"request {method} {target} timed out after {age.TotalSeconds:0.0}s");
}
