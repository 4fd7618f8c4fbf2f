namespace GatewayServer.Master;

/// <summary>Why an exited worker is being replaced: the <c>reason</c> label of <c>gwserve_worker_restarts_total</c>.</summary>
public static class RestartReason
{
    /// <summary>
    /// The reason for <paramref name="worker"/>'s exit, or null when it is not replaced (the pool
    /// shrank: TTOU, <c>gwserve ctl remove</c>). Call it before the master stops: a stopping
    /// master's workers are not restarted.
    /// </summary>
    public static string? Of(WorkerHandle worker, int currentGeneration)
    {
        if (worker.TimedOut)
        {
            return "timeout";
        }

        if (worker.BootError is not null || worker.Phase == WorkerPhase.Booting)
        {
            return "boot-failure";
        }

        if (worker.RetireReason is { } reason)
        {
            return reason;
        }

        if (worker.Generation != currentGeneration)
        {
            return "reload";
        }

        return worker.Phase == WorkerPhase.Stopping ? null : "crash";
    }
}
