using GatewayServer.Engine;
using GatewayServer.Logging;

namespace GatewayServer.Worker;

/// <summary>What the gateway layer logs, written to the worker's error log.</summary>
internal sealed class WorkerLog : IServerLog
{
    private readonly ErrorLog _log;

    public WorkerLog(ErrorLog log)
    {
        _log = log;
    }

    public void AppError(string method, string target, Exception error) =>
        _log.Error(error, "Error handling request {method} {path}", method, target);

    public void AppResponseError(string detail) => _log.Error("Bad response from the application: {detail}", detail);

    public void BadRequest(string remote, int status, string reason) =>
        _log.Debug("Rejected request from {remote}: {status} {reason}", remote, status, reason);

    public void ConnectionError(Exception error) => _log.Debug("Connection error: {error}", error.Message);

    public void ConnectionFailed(Exception error) => _log.Error("connection failed: {error}", error);

    public void IgnoredProxyHeader(string header, string reason) => _log.Debug("Ignored {header} from a trusted proxy: {reason}", header, reason);

    public void AppMessage(string line) => _log.Error("{message}", line);

    public void ResponseNotRead(string remote) =>
        _log.Info("Closing connection from {remote}: the client did not read its response at --min-response-rate", remote);

    public void RequestTimedOut(string method, string target, TimeSpan age, bool answered) =>
        _log.Error($"Request timeout: {method} {target} still running after {age.TotalSeconds:0.0}s; {(answered ? "answered 504" : "the response had begun, so the client is cut off")}");
}
