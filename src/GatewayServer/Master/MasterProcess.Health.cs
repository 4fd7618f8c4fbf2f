using System.Globalization;
using GatewayServer.Configuration;

namespace GatewayServer.Master;

// Keeping workers healthy: hang detection, the stop deadline, memory recycling.
public sealed partial class MasterProcess
{
    /// <summary>Step (tick): SIGABRT to a worker whose heartbeat is older than <c>--timeout</c>, SIGKILL after a grace.</summary>
    private void KillUnresponsiveWorkers(long now)
    {
        foreach (WorkerHandle worker in _workers)
        {
            if (worker.TimedOut)
            {
                continue;
            }

            long timeout = (long)worker.HangTimeout.TotalMilliseconds;
            long limit = worker.Phase == WorkerPhase.Booting ? Math.Max(timeout, (long)MinimumBootTimeout.TotalMilliseconds) : timeout;
            if (timeout > 0 && worker.Phase != WorkerPhase.Stopping && now - worker.LastHeartbeat > limit)
            {
                _log.Critical($"WORKER TIMEOUT (pid: {worker.Pid}): no heartbeat for {(now - worker.LastHeartbeat) / 1000.0:0.0}s; aborting it");
                worker.TimedOut = true;
                worker.Phase = WorkerPhase.Stopping;
                worker.StopDeadline = now + (long)AbortGrace.TotalMilliseconds;
                Signal(worker, Signals.Abort);
            }
        }
    }

    /// <summary>Step (tick): SIGKILL what overstayed its stop (a retired worker, or everything after TERM/INT).</summary>
    private void KillWorkersPastStopDeadline(long now)
    {
        bool pastStop = _stopping && now > _stopDeadline;
        foreach (WorkerHandle worker in _workers)
        {
            if (pastStop || now > worker.StopDeadline)
            {
                _log.Warning($"Worker {worker.Pid} did not stop in time; killing it");
                Signal(worker, Signals.Kill);
                worker.StopDeadline = long.MaxValue;
            }
        }

        if (pastStop)
        {
            _stopDeadline = long.MaxValue;
        }
    }

    /// <summary>Step (tick): read each worker's resident memory; mark those over <c>--max-worker-memory</c> for replacement.</summary>
    private void RecycleWorkersOverMemory()
    {
        long limit = _generation.Settings.Get(Settings.MaxWorkerMemory) * 1024L * 1024L;
        foreach (WorkerHandle worker in _workers)
        {
            worker.ResidentBytes = ProcStatus.ReadResidentBytes(worker.Pid);
            if (limit > 0 && worker.Phase == WorkerPhase.Ready && worker.RetireReason is null && worker.ResidentBytes > limit)
            {
                worker.RetireReason = "memory";
                _log.Warning($"Worker {worker.Pid} uses {Mebibytes(worker.ResidentBytes)} MiB, over --max-worker-memory {limit / (1024 * 1024)}; recycling it once its replacement is ready");
            }
        }
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);
}
