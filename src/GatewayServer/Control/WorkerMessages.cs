namespace GatewayServer.Control;

/// <summary>The lines a worker sends its master.</summary>
public static class WorkerMessages
{
    /// <summary>The app is loaded and the worker accepts connections.</summary>
    public const string Ready = "ready";

    /// <summary>Followed by the exit code and a one-line reason: the worker could not boot.</summary>
    public const string BootFailed = "boot-failed";

    /// <summary>Followed by the request count: a heartbeat, once a second.</summary>
    public const string Status = "status";
}
