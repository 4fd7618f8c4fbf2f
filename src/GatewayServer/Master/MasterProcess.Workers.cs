using System.Diagnostics;
using System.Globalization;
using GatewayServer.Configuration;
using GatewayServer.Control;

namespace GatewayServer.Master;

// The pool itself: spawning, watching, reaping and the messages workers send.
public sealed partial class MasterProcess
{
    private void HandleMessage(WorkerHandle worker, string line)
    {
        string[] parts = line.Split(' ', 3);
        switch (parts[0])
        {
            case WorkerMessages.Ready:
                if (worker.Phase == WorkerPhase.Booting)
                {
                    worker.Phase = WorkerPhase.Ready;
                }

                worker.LastHeartbeat = _clock.Now;
                _everBooted = true;
                _backoff.Reset();
                _log.Info($"Worker ready (pid: {worker.Pid})");
                break;
            case WorkerMessages.BootFailed when parts.Length == 3:
                worker.BootExitCode = int.TryParse(parts[1], CultureInfo.InvariantCulture, out int code) ? code : ExitCodes.WorkerBootFailed;
                worker.BootError = parts[2];
                break;
            case WorkerMessages.Status when parts.Length >= 2:
                worker.LastHeartbeat = _clock.Now;
                worker.RequestCount = long.TryParse(parts[1], CultureInfo.InvariantCulture, out long count) ? count : worker.RequestCount;
                worker.OldestRequestMilliseconds = parts.Length >= 3 && long.TryParse(parts[2], CultureInfo.InvariantCulture, out long age) ? age : 0;
                break;
            case WorkerMessages.Metrics when parts.Length >= 2:
                worker.Metrics = MetricsReport.Parse(line[(WorkerMessages.Metrics.Length + 1)..]);
                break;
            case WorkerMessages.Retiring when parts.Length >= 2:
                worker.RetireReason = parts[1];
                if (worker.Phase != WorkerPhase.Stopping)
                {
                    worker.Phase = WorkerPhase.Stopping;
                    worker.StopDeadline = _clock.Now + (long)(CurrentSettings.Get(Settings.GracefulTimeout) + StopSlack).TotalMilliseconds;
                }

                _log.Info($"Recycling worker {worker.Pid} ({parts[1]}{(parts.Length >= 3 ? $" after {parts[2]} requests" : string.Empty)}); starting its replacement");
                break;
        }
    }

    private void StopWorker(WorkerHandle worker, bool graceful, string reason)
    {
        _log.Info($"Stopping worker {worker.Pid} ({reason})");
        worker.Phase = WorkerPhase.Stopping;
        TimeSpan allowed = graceful ? CurrentSettings.Get(Settings.GracefulTimeout) + StopSlack : QuickStopTimeout;
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
            WorkerHandle worker = _launcher!.Launch(id, _generation.Number, slot, _clock.Now, new WorkerHandshake(id, _target, CurrentSettings));
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

    private void TrimSlots() =>
        _listeners!.TrimSlots(_targetWorkers, slot => _workers.Any(w => w.Slot == slot));

    private void Watch(WorkerHandle worker)
    {
        _ = Task.Run(async () =>
        {
            while (await worker.Control.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _events.Writer.TryWrite(new MasterEvent.WorkerMessage(worker, line));
            }

            await worker.Process.WaitForExitAsync().ConfigureAwait(false);
            _events.Writer.TryWrite(new MasterEvent.WorkerExited(worker));
        });
    }
}
