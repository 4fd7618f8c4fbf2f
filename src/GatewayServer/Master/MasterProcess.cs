using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Logging;

namespace GatewayServer.Master;

/// <summary>
/// The master, modelled on Gunicorn's arbiter: it binds the sockets, starts the workers, and then
/// runs one loop that takes queued events (signals, worker exits, worker reports, a tick) and
/// after each one runs a short list of named steps: retire surplus workers, start missing ones;
/// on the tick also kill workers that stopped heartbeating or overstayed a stop, and recycle
/// those over the memory limit. It never touches HTTP. docs/signals.md is the user's view.
/// </summary>
public sealed class MasterProcess
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan QuickStopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Between SIGABRT and SIGKILL for a worker that missed its heartbeat.</summary>
    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

    /// <summary>A booting worker has at least this long to report ready, whatever <c>--timeout</c> says.</summary>
    private static readonly TimeSpan MinimumBootTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Beyond the worker's own graceful timeout, before the master kills a stopping worker.</summary>
    private static readonly TimeSpan StopSlack = TimeSpan.FromSeconds(2);

    private readonly string _target;
    private readonly ErrorLog _log;
    private readonly MasterOptions _options;
    private readonly MasterClock _clock;
    private readonly RespawnBackoff _backoff;
    private readonly Channel<MasterEvent> _events = Channel.CreateUnbounded<MasterEvent>();
    private readonly List<WorkerHandle> _workers = [];
    private ListenerSet? _listeners;
    private WorkerLauncher? _launcher;
    private Generation _generation;
    private Generation? _lastComplete;
    private Process? _successor;
    private SystemdNotifier? _notifier;
    private bool _readyNotified;
    private bool _stopNotified;

    /// <summary>When a SIGTERM with <c>--shutdown-delay</c> starts draining; MaxValue when none is pending.</summary>
    private long _drainAt = long.MaxValue;
    private int _nextWorkerId = 1;
    private int _targetWorkers;
    private bool _everBooted;
    private string? _lastBootError;
    private long _stopDeadline = long.MaxValue;
    private bool _stopping;
    private int _exitCode = ExitCodes.Success;

    public MasterProcess(string target, ServerSettings settings, ErrorLog log, MasterOptions? options = null)
    {
        _target = target;
        _log = log;
        _options = options ?? new MasterOptions();
        _clock = new MasterClock(_options.Time);
        _backoff = new RespawnBackoff(_clock);
        _generation = new Generation(1, settings);
        _targetWorkers = settings.Get(Settings.Workers);
    }

    private ServerSettings CurrentSettings => _generation.Settings;

    public async Task<int> RunAsync()
    {
        int umask = CurrentSettings.Get(Settings.Umask);
        if (umask >= 0)
        {
            // Before binding: the mask shapes Unix socket files, and the workers inherit it.
            Transport.Libc.umask(umask);
        }

        IReadOnlyList<Transport.ActivatedSocket>? activated = _options.ActivatedSockets;
        IReadOnlyList<Transport.BindAddress> addresses = activated is null
            ? CurrentSettings.Get(Settings.Bind)
            : [.. activated.Select(s => Transport.BindAddress.Parse("fd://" + s.Descriptor.ToString(CultureInfo.InvariantCulture)))];
        if (activated is not null && CurrentSettings.SourceOf(Settings.Bind) != SettingSource.Default)
        {
            _log.Info($"Using the {activated.Count} sockets passed by systemd; --bind is ignored");
        }

        try
        {
            _listeners = ListenerSet.Open(addresses, CurrentSettings.Get(Settings.Backlog), CurrentSettings.Get(Settings.ReusePort),
                activated is null ? _options.InheritedDescriptors : null, CurrentSettings.Get(Settings.UnixSocketMode));
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            _log.Error($"Cannot listen: {error.Message}");
            return ExitCodes.StartupFailed;
        }

        using ListenerSet listeners = _listeners;
        for (int i = 0; i < listeners.Primary.Count; i++)
        {
            string origin = activated is not null ? $" (systemd socket {activated[i].Name})" : _options.InheritedDescriptors is null ? string.Empty : " (inherited)";
            _log.Info($"Listening at: {listeners.Primary[i].Url} ({Environment.ProcessId}){origin}");
        }

        using PidFile? pidFile = WritePidFile();
        if (pidFile is null && CurrentSettings.Get(Settings.Pid).Length > 0)
        {
            return ExitCodes.StartupFailed;
        }

        if ((CurrentSettings.Get(Settings.User).Length > 0 || CurrentSettings.Get(Settings.Group).Length > 0) && !Transport.ProcessIdentity.IsRoot)
        {
            _log.Warning("--user and --group are ignored: gwserve is not running as root");
        }

        using SystemdNotifier notifier = SystemdNotifier.FromEnvironment();
        _notifier = notifier;
        notifier.Status($"Booting {_targetWorkers} workers");

        _launcher = new WorkerLauncher(listeners);
        using var signals = new SignalQueue(_events.Writer,
        [
            PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP,
            Signals.Ttin, Signals.Ttou, Signals.Winch, Signals.Usr1Signal, Signals.Usr2,
        ]);
        using var tick = new Timer(_ => _events.Writer.TryWrite(new MasterEvent.Tick()), null, TickInterval, TickInterval);
        using ChangeWatcher? watcher = _options.WatchPaths.Count > 0 ? new ChangeWatcher(_options.WatchPaths, _events.Writer) : null;
        if (watcher is not null)
        {
            _log.Info($"Reload on change: watching {string.Join(", ", watcher.Folders)}");
        }

        SpawnMissingWorkers();
        while (!_stopping || _workers.Count > 0)
        {
            Handle(await _events.Reader.ReadAsync().ConfigureAwait(false));
            if (!_stopping)
            {
                RetireSurplusWorkers();
                SpawnMissingWorkers();
                TrimSlots();
                NotifyReadyWhenServing();
            }
        }

        _log.Info("Shutting down: Master");
        return _exitCode;
    }

    private void Handle(MasterEvent masterEvent)
    {
        switch (masterEvent)
        {
            case MasterEvent.SignalReceived signal:
                HandleSignal(signal.Signal);
                break;
            case MasterEvent.WorkerExited exited:
                Reap(exited.Worker);
                break;
            case MasterEvent.WorkerMessage message:
                HandleMessage(message.Worker, message.Line);
                break;
            case MasterEvent.SuccessorExited successor:
                _log.Warning($"The new master (pid: {successor.Pid}) exited with {DescribeExit(successor.ExitCode)}; this master keeps serving");
                _successor = null;
                _notifier?.TakeBack($"Serving with {_targetWorkers} workers (the new master exited)");
                break;
            case MasterEvent.FilesChanged changed when !_stopping:
                _log.Info($"Change detected in {changed.Path}; reloading");
                Reload();
                break;
            case MasterEvent.Tick:
                long now = _clock.Now;
                KillUnresponsiveWorkers(now);
                KillWorkersPastStopDeadline(now);
                RecycleWorkersOverMemory();
                DrainAfterShutdownDelay(now);
                _notifier?.Watchdog(now);
                break;
        }
    }

    private void HandleSignal(PosixSignal signal)
    {
        _log.Info($"Handling signal: {Signals.Name(signal)}");
        int number = Signals.Number(signal);
        TimeSpan shutdownDelay = CurrentSettings.Get(Settings.ShutdownDelay);
        if (number == Signals.Term && shutdownDelay > TimeSpan.Zero && !_stopping && _drainAt == long.MaxValue)
        {
            // Kubernetes sends TERM while endpoints still route here: keep serving until they stop.
            _drainAt = _clock.Now + (long)shutdownDelay.TotalMilliseconds;
            _log.Info($"Shutdown delay: serving {shutdownDelay.TotalSeconds}s more before draining (TERM again to drain now)");
            NotifyStopping();
        }
        else if (number == Signals.Term)
        {
            Stop(graceful: true);
        }
        else if (number is 2 or Signals.Quit)
        {
            Stop(graceful: false);
        }
        else if (_stopping || _drainAt != long.MaxValue)
        {
            // Nothing but TERM, INT and QUIT means anything once stopping.
        }
        else if (number == 1)
        {
            Reload();
        }
        else if (number == Signals.Number(Signals.Ttin))
        {
            _targetWorkers++;
            _log.Info($"Workers: {_targetWorkers} (one more)");
        }
        else if (number == Signals.Number(Signals.Ttou))
        {
            _targetWorkers = Math.Max(1, _targetWorkers - 1);
            _log.Info($"Workers: {_targetWorkers}{(_targetWorkers == 1 ? " (never fewer than 1)" : " (one fewer)")}");
        }
        else if (number == Signals.Number(Signals.Winch))
        {
            LogStatus();
        }
        else if (number == Signals.Usr1)
        {
            ReopenLogs();
        }
        else if (number == Signals.Number(Signals.Usr2))
        {
            Reexec();
        }
    }

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

    /// <summary>
    /// HUP: re-read the configuration and start the next generation. The old workers keep serving;
    /// <see cref="RetireSurplusWorkers"/> stops one each time a new one is ready.
    /// </summary>
    private void Reload()
    {
        ServerSettings settings;
        try
        {
            settings = _options.Reload?.Invoke() ?? CurrentSettings;
        }
        catch (SettingException error)
        {
            _log.Error($"Reload failed: the configuration is invalid ({error.Message}); generation {_generation.Number} keeps serving");
            _notifier?.Reloading("Reloading");
            _notifier?.Ready($"Reload failed (invalid configuration); generation {_generation.Number} serving");
            return;
        }

        WarnAboutSettingsThatNeedARestart(settings);
        _lastComplete ??= _generation;
        _generation = new Generation(_generation.Number + 1, settings);
        _targetWorkers = settings.Get(Settings.Workers);
        _backoff.Reset();
        _log.Info($"Reloading: starting generation {_generation.Number} ({_targetWorkers} workers)");
        _notifier?.Reloading($"Reloading: starting generation {_generation.Number}");
        _readyNotified = false;
        foreach (WorkerHandle worker in _workers)
        {
            if (worker.Phase == WorkerPhase.Booting && worker.Generation != _generation.Number)
            {
                StopWorker(worker, graceful: false, "superseded by a newer generation");
            }
        }
    }

    private void WarnAboutSettingsThatNeedARestart(ServerSettings settings)
    {
        foreach (Setting setting in new Setting[] { Settings.Bind, Settings.Backlog, Settings.ReusePort })
        {
            if (!string.Join(" ", setting.Format(settings.GetValue(setting))).Equals(string.Join(" ", setting.Format(CurrentSettings.GetValue(setting))), StringComparison.Ordinal))
            {
                _log.Warning($"Reload: {setting.Flag} changed; the listening sockets stay as they are until a restart or USR2");
            }
        }
    }

    /// <summary>A new generation could not boot: stop it and let the one that was serving carry on.</summary>
    private void AbandonReload(WorkerHandle failed, string reason)
    {
        Generation failedGeneration = _generation;
        _generation = _lastComplete!;
        _lastComplete = null;
        _targetWorkers = _generation.Settings.Get(Settings.Workers);
        _backoff.Reset();
        _log.Error($"Reload failed: worker {failed.Pid} of generation {failedGeneration.Number} could not boot ({reason}); generation {_generation.Number} keeps serving");
        foreach (WorkerHandle worker in _workers)
        {
            if (worker.Generation == failedGeneration.Number && worker.Phase != WorkerPhase.Stopping)
            {
                StopWorker(worker, graceful: worker.Phase == WorkerPhase.Ready, "its generation failed to boot");
            }
        }
    }

    private void Stop(bool graceful)
    {
        _drainAt = long.MaxValue;
        NotifyStopping();
        TimeSpan timeout = graceful ? CurrentSettings.Get(Settings.GracefulTimeout) + StopSlack : QuickStopTimeout;
        long deadline = _clock.Now + (long)timeout.TotalMilliseconds;
        _stopDeadline = _stopping ? Math.Min(_stopDeadline, deadline) : deadline;
        _stopping = true;
        foreach (WorkerHandle worker in _workers)
        {
            worker.Phase = WorkerPhase.Stopping;
            Signal(worker, graceful ? Signals.Term : Signals.Quit);
        }
    }

    /// <summary>Step: when more workers are ready than wanted, stop the outdated, marked or oldest ones.</summary>
    private void RetireSurplusWorkers()
    {
        while (PoolPlan.NextToRetire(_workers, _generation.Number, _targetWorkers) is { } worker)
        {
            string reason = worker.RetireReason
                ?? (worker.Generation != _generation.Number ? $"replaced by generation {_generation.Number}" : "fewer workers wanted");
            StopWorker(worker, graceful: true, reason);
        }

        if (_lastComplete is not null && !PoolPlan.HasOutdated(_workers, _generation.Number)
            && _workers.Count(w => w.Phase == WorkerPhase.Ready && w.Generation == _generation.Number) >= _targetWorkers)
        {
            _lastComplete = null;
            _log.Info($"Reload complete: generation {_generation.Number} serving with {_targetWorkers} workers");
        }
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

    /// <summary>Step (tick): SIGABRT to a worker whose heartbeat is older than <c>--timeout</c>, SIGKILL after a grace.</summary>
    private void KillUnresponsiveWorkers(long now)
    {
        long timeout = (long)_generation.Settings.Get(Settings.Timeout).TotalMilliseconds;
        foreach (WorkerHandle worker in _workers)
        {
            if (worker.TimedOut)
            {
                continue;
            }

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
        if (!_everBooted && ExitCodes.IsAppLoadFailure(bootCode))
        {
            // The app cannot load: every new worker would die the same way, so stop here (Gunicorn's HaltServer).
            _log.Critical($"App failed to load; stopping (exit code {bootCode})");
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

    private void Signal(WorkerHandle worker, int signal)
    {
        if (Transport.Libc.kill(worker.Pid, signal) != 0)
        {
            _log.Debug($"Could not signal worker {worker.Pid}: it has exited");
        }
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);

    private static string DescribeExit(int code) => code > 128 ? $"signal {code - 128}" : $"exit code {code}";

    /// <summary>A reload phase: its number and the settings its workers were started with.</summary>
    private sealed record Generation(int Number, ServerSettings Settings);
}
