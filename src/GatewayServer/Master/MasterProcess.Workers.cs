using System.Diagnostics;
using System.Globalization;
using GatewayServer.Configuration;
using GatewayServer.Control;

namespace GatewayServer.Master;

// The pool itself: spawning, watching, reaping and the messages workers send.
public sealed partial class MasterProcess
{
    /// <summary>
    /// A report from a worker, believed only in its exact shape and at its place in the worker's life
    /// (ready once, boot-failed before it, status after it, counts that never go back): anything
    /// else is a broken protocol, and the worker is killed (<see cref="RejectWorker"/>).
    /// </summary>
    private void HandleMessage(WorkerHandle worker, string line)
    {
        if (worker.ProtocolViolation is not null)
        {
            return;
        }

        string[] parts = line.Split(' ', 3);
        long count = 0;
        long age = 0;
        switch (parts[0])
        {
            case WorkerMessages.Ready when parts.Length == 1 && !worker.ReportedReady:
                worker.ReportedReady = true;
                if (worker.Phase == WorkerPhase.Booting)
                {
                    worker.Phase = WorkerPhase.Ready;
                }

                worker.LastHeartbeat = _clock.Now;
                _everBooted = true;
                _backoff.Reset();
                _log.Info($"Worker ready (pid: {worker.Pid})");
                break;
            case WorkerMessages.BootFailed when parts.Length == 3 && !worker.ReportedReady && worker.BootError is null
                && WorkerMessages.TryParseNumber(parts[1], out count) && count is > 0 and < 126:
                worker.BootExitCode = (int)count;
                worker.BootError = parts[2];
                break;
            case WorkerMessages.Status when parts.Length == 3 && worker.ReportedReady
                && WorkerMessages.TryParseNumber(parts[1], out count) && count >= worker.RequestCount
                && WorkerMessages.TryParseNumber(parts[2], out age):
                worker.LastHeartbeat = _clock.Now;
                worker.RequestCount = count;
                worker.OldestRequestMilliseconds = age;
                break;
            case WorkerMessages.Metrics when parts.Length >= 2:
                worker.Metrics = MetricsReport.Parse(line[(WorkerMessages.Metrics.Length + 1)..]);
                break;
            case WorkerMessages.Retiring when parts.Length == 3 && WorkerMessages.IsReason(parts[1]) && WorkerMessages.TryParseNumber(parts[2], out count):
                worker.RetireReason = parts[1];
                if (worker.Phase != WorkerPhase.Stopping)
                {
                    worker.Phase = WorkerPhase.Stopping;
                    worker.StopDeadline = _clock.Now + (long)(worker.GracefulTimeout + StopSlack).TotalMilliseconds;
                }

                _log.Info($"Recycling worker {worker.Pid} ({parts[1]} after {count} requests); starting its replacement");
                break;
            default:
                RejectWorker(worker, $"unexpected message \"{(line.Length > 64 ? line[..64] + "..." : line)}\"");
                break;
        }
    }

    /// <summary>
    /// A worker that broke the control protocol is killed (SIGKILL: nothing it does is to be waited
    /// for) and replaced. Before it was ready it counts as a death while booting (backoff), never as
    /// the app's load failure: what it reported is dropped.
    /// </summary>
    private void RejectWorker(WorkerHandle worker, string problem)
    {
        if (worker.ProtocolViolation is not null)
        {
            return;
        }

        worker.ProtocolViolation = problem;
        worker.BootError = null;
        worker.BootExitCode = null;
        _log.Error($"Worker {worker.Pid} broke the control protocol ({problem}); killing it");
        if (worker.Phase == WorkerPhase.Ready)
        {
            worker.Phase = WorkerPhase.Stopping;
        }

        Signal(worker, Signals.Kill);
    }

    private void StopWorker(WorkerHandle worker, bool graceful, string reason)
    {
        _log.Info($"Stopping worker {worker.Pid} ({reason})");
        worker.Phase = WorkerPhase.Stopping;
        TimeSpan allowed = graceful ? worker.GracefulTimeout + StopSlack : QuickStopTimeout;
        worker.StopDeadline = _clock.Now + (long)allowed.TotalMilliseconds;
        Signal(worker, graceful ? Signals.Term : Signals.Quit);
    }

    private void Reap(WorkerHandle worker)
    {
        if (!_workers.Remove(worker))
        {
            return;
        }

        RecordExit(worker);
        int exitCode = worker.Process.ExitCode;
        bool diedBooting = worker.Phase == WorkerPhase.Booting;
        worker.Dispose();

        if (worker.BootError is not null)
        {
            // Several workers failing the same way is one problem: say it once.
            if (worker.BootError != _lastBootError)
            {
                _log.Error($"Worker {worker.Pid} failed to boot: {worker.BootError}");
            }

            _lastBootError = worker.BootError;
        }
        else if (worker.ProtocolViolation is not null)
        {
            _log.Warning($"Worker exiting (pid: {worker.Pid}) after breaking the control protocol, with {DescribeExit(exitCode)}");
        }
        else if (worker.TimedOut)
        {
            _log.Warning($"Worker exiting (pid: {worker.Pid}) after WORKER TIMEOUT with {DescribeExit(exitCode)}");
        }
        else if (_stopping || worker.Phase == WorkerPhase.Stopping)
        {
            _log.Info($"Worker exiting (pid: {worker.Pid}) with {DescribeExit(exitCode)}");
        }
        else
        {
            _log.Warning($"Worker {worker.Pid} exited unexpectedly with {DescribeExit(exitCode)}; starting a replacement");
        }

        if (_stopping || !diedBooting)
        {
            return;
        }

        int bootCode = worker.BootExitCode ?? exitCode;
        // Before any worker has ever served, a failure the worker itself reported (the app cannot load,
        // a TLS key does not match its certificate) will recur in every new worker: stop here, as
        // Gunicorn's HaltServer does, rather than respawn forever.
        if (!_everBooted && (ExitCodes.IsAppLoadFailure(bootCode) || worker.BootExitCode == ExitCodes.WorkerBootFailed))
        {
            _log.Critical($"{(bootCode == ExitCodes.WorkerBootFailed ? "Worker failed to boot" : "App failed to load")}; stopping (exit code {bootCode})");
            _exitCode = bootCode;
            Stop(graceful: false);
            return;
        }

        if (_lastComplete is not null && worker.Generation == _generation.Number && PoolPlan.HasOutdated(_workers, _generation.Number))
        {
            AbandonReload(worker, worker.BootError ?? DescribeExit(exitCode));
            return;
        }

        TimeSpan delay = _backoff.RecordFailure();
        _log.Warning($"Worker died while booting; next start in {delay.TotalMilliseconds:0} ms");
    }

    /// <summary>Step: start workers of the current generation until the pool has its target.</summary>
    private void SpawnMissingWorkers()
    {
        int missing = PoolPlan.Missing(_workers, _generation.Number, _targetWorkers);
        for (int i = 0; i < missing && _backoff.MaySpawn; i++)
        {
            int slot = FreeSlot();
            _listeners!.EnsureSlots(slot + 1);
            int id = _nextWorkerId++;
            WorkerHandle worker = _launcher!.Launch(id, _generation.Number, slot, _clock.Now, new WorkerHandshake(id, _target, CurrentSettings, _generation.Number));
            _workers.Add(worker);
            _log.Info($"Booting worker with pid: {worker.Pid} (generation {worker.Generation}{(_listeners.ReusePort ? $", slot {slot}" : string.Empty)})");
            Watch(worker);
        }
    }

    /// <summary>With <c>--reuse-port</c>, the lowest slot no serving worker holds; otherwise 0.</summary>
    private int FreeSlot()
    {
        if (!_listeners!.ReusePort)
        {
            return 0;
        }

        for (int slot = 0; ; slot++)
        {
            if (!_workers.Any(w => w.Slot == slot && w.Phase != WorkerPhase.Stopping && w.Generation == _generation.Number && w.RetireReason is null))
            {
                return slot;
            }
        }
    }

    // A stopping worker does not hold its slot: it takes what is queued there and closes the last
    // descriptor itself (AcceptLoop.TakeQueuedAndClose), so nothing waits on a socket nobody accepts from.
    private void TrimSlots() =>
        _listeners!.TrimSlots(_targetWorkers, slot => _workers.Any(w => w.Slot == slot && w.Phase != WorkerPhase.Stopping));

    private void Watch(WorkerHandle worker)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                while (await worker.Control.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    _events.Writer.TryWrite(new MasterEvent.WorkerMessage(worker, line));
                }
            }
            catch (ControlProtocolException error)
            {
                // Read no further: the loop kills it, and its exit still arrives below.
                _events.Writer.TryWrite(new MasterEvent.WorkerBrokeProtocol(worker, error.Message));
            }

            await worker.Process.WaitForExitAsync().ConfigureAwait(false);
            _events.Writer.TryWrite(new MasterEvent.WorkerExited(worker));
        });
    }
}
