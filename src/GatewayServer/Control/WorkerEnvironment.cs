namespace GatewayServer.Control;

/// <summary>The environment variables through which a master tells a new worker its descriptors.</summary>
public static class WorkerEnvironment
{
    /// <summary>The worker's end of its control channel.</summary>
    public const string ControlDescriptor = "GWSERVE_WORKER_CONTROL_FD";

    /// <summary>The shared accept scoreboard (a memfd), see <see cref="ConnectionScoreboard"/>.</summary>
    public const string ScoreboardDescriptor = "GWSERVE_WORKER_SCOREBOARD_FD";

    /// <summary>The inherited listening sockets, comma-separated.</summary>
    public const string ListenDescriptors = "GWSERVE_WORKER_LISTEN_FDS";

    /// <summary>Set when the worker process is started only to load the app once, for <c>--check-config</c>.</summary>
    public const string CheckOnly = "GWSERVE_WORKER_CHECK";
}
