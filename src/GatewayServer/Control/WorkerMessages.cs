namespace GatewayServer.Control;

/// <summary>The lines a worker sends its master.</summary>
public static class WorkerMessages
{
    /// <summary>The app is loaded and the worker accepts connections.</summary>
    public const string Ready = "ready";

    /// <summary>Followed by the exit code and a one-line reason: the worker could not boot.</summary>
    public const string BootFailed = "boot-failed";

    /// <summary>
    /// The exit code (Gunicorn's WORKER_BOOT_ERROR) of a worker that could not boot for a reason other
    /// than the app (its logs, its user, its TLS files): declared once here because the master stops,
    /// rather than respawning, when the first workers report it.
    /// </summary>
    public const int BootFailedExitCode = 3;

    /// <summary>
    /// Followed by the request count and the age in milliseconds of the oldest request in progress
    /// (0 when idle): the heartbeat, once a second, sent from a thread-pool work item so that it
    /// stops when the worker can no longer run work.
    /// </summary>
    public const string Status = "status";

    /// <summary>
    /// Followed by a reason (<c>max-requests</c>, <c>request-timeout</c>) and the request count that triggered it: the
    /// worker has stopped accepting and is draining; the master starts its replacement at once.
    /// </summary>
    public const string Retiring = "retiring";

    /// <summary>
    /// Followed by a <see cref="MetricsReport"/>: the worker's cumulative metrics, sent once a second
    /// after the heartbeat and once more when it has drained, just before it exits.
    /// </summary>
    public const string Metrics = "metrics";
}
