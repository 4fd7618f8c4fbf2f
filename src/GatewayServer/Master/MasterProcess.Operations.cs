using System.Diagnostics;
using System.Globalization;
using GatewayServer.Configuration;

namespace GatewayServer.Master;

// What an operator or systemd asks of the master: log reopening, status, binary upgrade, notifications, pid file.
public sealed partial class MasterProcess
{
    /// <summary>SIGUSR1: reopen the log files (logrotate moved them), here and in every worker.</summary>
    private void ReopenLogs()
    {
        try
        {
            _log.Reopen();
            _log.Info("Reopened the log files; telling the workers");
        }
        catch (IOException error)
        {
            _log.Error("Cannot reopen the error log: {reason}", error.Message);
        }

        foreach (WorkerHandle worker in _workers)
        {
            Signal(worker, Signals.Usr1);
        }
    }

    /// <summary>WINCH: one line per worker, for operators and for bench/worker-share.</summary>
    private void LogStatus()
    {
        long now = _clock.Now;
        _log.Info($"Pool status: generation {_generation.Number}, {_workers.Count} workers, target {_targetWorkers}");
        foreach (WorkerHandle worker in _workers)
        {
            long rss = worker.ResidentBytes > 0 ? worker.ResidentBytes : ProcStatus.ReadResidentBytes(worker.Pid);
            _log.Info(string.Create(CultureInfo.InvariantCulture,
                $"Worker status (pid: {worker.Pid}): generation {worker.Generation}, {worker.Phase.ToString().ToLowerInvariant()}, requests {worker.RequestCount}, current request {worker.OldestRequestMilliseconds / 1000.0:0.0}s, rss {Mebibytes(rss)} MiB, heartbeat {(now - worker.LastHeartbeat) / 1000.0:0.0}s ago"));
        }
    }

    private void Reexec()
    {
        if (_successor is { HasExited: false })
        {
            _log.Warning($"A new master (pid: {_successor.Id}) is already running; send it USR2 instead");
            return;
        }

        try
        {
            _successor = MasterReexec.Start(_listeners!, _options.ActivatedSockets);
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            _log.Error($"Cannot re-execute: {error.Message}");
            return;
        }

        _listeners!.HandOver();
        _notifier?.HandOver(_successor.Id, $"Handed over to the new master (pid {_successor.Id})");
        _log.Info($"Re-executing: new master pid {_successor.Id}; send TERM to this master (pid {Environment.ProcessId}) once its workers are ready");
        Process successor = _successor;
        _ = Task.Run(async () =>
        {
            await successor.WaitForExitAsync().ConfigureAwait(false);
            _events.Writer.TryWrite(new MasterEvent.SuccessorExited(successor.Id, successor.ExitCode));
        });
    }

    /// <summary>Step: tell systemd READY=1 once the current generation has all its workers ready (at start, after a reload).</summary>
    private void NotifyReadyWhenServing()
    {
        if (!_readyNotified && _lastComplete is null
            && _workers.Count(w => w.Phase == WorkerPhase.Ready && w.Generation == _generation.Number) >= _targetWorkers)
        {
            _readyNotified = true;
            _notifier?.Ready($"Serving with {_targetWorkers} workers (generation {_generation.Number})");
        }
    }

    private void NotifyStopping()
    {
        if (!_stopNotified)
        {
            _stopNotified = true;
            _notifier?.Stopping("Stopping");
        }
    }

    /// <summary>Step (tick): once the <c>--shutdown-delay</c> after TERM has passed, drain as TERM does.</summary>
    private void DrainAfterShutdownDelay(long now)
    {
        if (now >= _drainAt)
        {
            _log.Info("Shutdown delay over; draining");
            Stop(graceful: true);
        }
    }

    /// <summary><c>--pid</c>: null when none is wanted, or when it could not be written (logged).</summary>
    private PidFile? WritePidFile()
    {
        string path = CurrentSettings.Get(Settings.Pid);
        if (path.Length == 0)
        {
            return null;
        }

        try
        {
            return PidFile.Write(path);
        }
        catch (IOException error)
        {
            _log.Error($"Cannot write the pid file {path}: {error.Message}");
            return null;
        }
    }
}
