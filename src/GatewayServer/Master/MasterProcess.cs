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
public sealed partial class MasterProcess
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
        string scheme = CurrentSettings.Get(Settings.CertFile).Length > 0 ? "https" : "http";
        for (int i = 0; i < listeners.Primary.Count; i++)
        {
            string origin = activated is not null ? $" (systemd socket {activated[i].Name})" : _options.InheritedDescriptors is null ? string.Empty : " (inherited)";
            string url = listeners.Primary[i].UrlWithScheme(scheme);
            _log.Info($"Listening at: {url} ({Environment.ProcessId}){origin}");
        }

        if (listeners.ReusePort && !RequestMigration.IsOn())
        {
            _log.Warning($"--reuse-port: {RequestMigration.Sysctl} is not 1, so connections arriving just as a slot's socket closes (TTOU, stop, USR2) are reset; set it to 1 (Linux 5.14+) to have them moved to another worker (docs/signals.md)");
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
        using var signals = new SignalQueue(_events.Writer, Signals.Handled);
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

            PublishHealth();
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
            case MasterEvent.WorkerBrokeProtocol broke:
                RejectWorker(broke.Worker, broke.Problem);
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
            case MasterEvent.SnapshotRequested snapshot:
                snapshot.Reply.TrySetResult(TakeSnapshot());
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
        else if (number is Signals.Int or Signals.Quit)
        {
            Stop(graceful: false);
        }
        else if (_stopping || _drainAt != long.MaxValue)
        {
            // Nothing but TERM, INT and QUIT means anything once stopping.
        }
        else if (number == Signals.Hup)
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

        // The extra --reuse-port slots go now, not at exit: their workers serve what is queued on them
        // as they stop (slot 0 stays, for a successor after USR2 shares it).
        _listeners?.TrimSlots(1, _ => false);
    }

    private void Signal(WorkerHandle worker, int signal)
    {
        if (Transport.Libc.kill(worker.Pid, signal) != 0)
        {
            _log.Debug($"Could not signal worker {worker.Pid}: it has exited");
        }
    }

    private static string DescribeExit(int code) => code > 128 ? $"signal {code - 128}" : $"exit code {code}";
}
