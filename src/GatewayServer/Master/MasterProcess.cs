using System.Runtime.InteropServices;
using System.Threading.Channels;
using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Logging;
using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// The master, modelled on Gunicorn's arbiter: it binds the sockets, starts the workers, and then
/// runs one loop that takes queued events (signals, worker exits, worker reports, a tick) and
/// after each one brings the pool back to its target size. It never touches HTTP.
/// </summary>
public sealed class MasterProcess
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan QuickStopTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRespawnDelay = TimeSpan.FromSeconds(10);

    private readonly string _target;
    private readonly ServerSettings _settings;
    private readonly ErrorLog _log;
    private readonly Channel<MasterEvent> _events = Channel.CreateUnbounded<MasterEvent>();
    private readonly List<WorkerHandle> _workers = [];
    private WorkerLauncher? _launcher;
    private int _nextWorkerId = 1;
    private int _targetWorkers;
    private bool _everBooted;
    private string? _lastBootError;
    private int _consecutiveBootFailures;
    private long _nextSpawnAt;
    private long _stopDeadline = long.MaxValue;
    private bool _stopping;
    private int _exitCode = ExitCodes.Success;

    public MasterProcess(string target, ServerSettings settings, ErrorLog log)
    {
        _target = target;
        _settings = settings;
        _log = log;
        _targetWorkers = settings.Get(Settings.Workers);
    }

    public async Task<int> RunAsync()
    {
        List<Listener> listeners;
        try
        {
            listeners = OpenListeners();
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            _log.Error("Cannot listen: {reason}", error.Message);
            return ExitCodes.StartupFailed;
        }

        try
        {
            _launcher = new WorkerLauncher(listeners);
            using var signals = new SignalQueue(_events.Writer,
                [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, Signals.Usr1Signal]);
            using var tick = new Timer(_ => _events.Writer.TryWrite(new MasterEvent.Tick()), null, TickInterval, TickInterval);

            SpawnMissingWorkers();
            while (!_stopping || _workers.Count > 0)
            {
                Handle(await _events.Reader.ReadAsync().ConfigureAwait(false));
                if (!_stopping)
                {
                    SpawnMissingWorkers();
                }
            }

            _log.Info("Shutting down: Master");
            return _exitCode;
        }
        finally
        {
            foreach (Listener listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private List<Listener> OpenListeners()
    {
        var listeners = new List<Listener>();
        try
        {
            foreach (BindAddress address in _settings.Get(Settings.Bind))
            {
                Listener listener = ListenerFactory.Open(address, _settings.Get(Settings.Backlog));
                listeners.Add(listener);
                _log.Info("Listening at: {url} ({pid})", listener.Url, Environment.ProcessId);
            }
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException socketError)
        {
            foreach (Listener listener in listeners)
            {
                listener.Dispose();
            }

            throw new IOException($"{_settings.Get(Settings.Bind)[listeners.Count]}: {socketError.Message}", error);
        }

        return listeners;
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
            case MasterEvent.Tick:
                KillWorkersPastStopDeadline();
                break;
        }
    }

    private void HandleSignal(PosixSignal signal)
    {
        switch (signal)
        {
            case PosixSignal.SIGTERM:
                _log.Info("Handling signal: term");
                Stop(graceful: true);
                break;
            case PosixSignal.SIGINT:
            case PosixSignal.SIGQUIT:
                _log.Info("Handling signal: {signal}", signal == PosixSignal.SIGINT ? "int" : "quit");
                Stop(graceful: false);
                break;
            case Signals.Usr1Signal:
                _log.Info("Handling signal: usr1");
                ReopenLogs();
                break;
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

    private void Stop(bool graceful)
    {
        TimeSpan timeout = graceful ? _settings.Get(Settings.GracefulTimeout) : QuickStopTimeout;
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        _stopDeadline = _stopping ? Math.Min(_stopDeadline, deadline) : deadline;
        _stopping = true;
        foreach (WorkerHandle worker in _workers)
        {
            worker.Phase = WorkerPhase.Stopping;
            Signal(worker, graceful ? Signals.Term : Signals.Quit);
        }
    }

    private void KillWorkersPastStopDeadline()
    {
        if (_stopping && Environment.TickCount64 > _stopDeadline)
        {
            foreach (WorkerHandle worker in _workers)
            {
                _log.Warning("Worker {pid} did not stop in time; killing it", worker.Pid);
                Signal(worker, Signals.Kill);
            }

            _stopDeadline = long.MaxValue;
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

                _everBooted = true;
                _consecutiveBootFailures = 0;
                _log.Info("Worker ready (pid: {pid})", worker.Pid);
                break;
            case WorkerMessages.BootFailed when parts.Length == 3:
                worker.BootExitCode = int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int code) ? code : ExitCodes.WorkerBootFailed;
                worker.BootError = parts[2];
                break;
            case WorkerMessages.Status when parts.Length >= 2:
                worker.LastHeartbeat = Environment.TickCount64;
                worker.RequestCount = long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out long count) ? count : worker.RequestCount;
                break;
        }
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
                _log.Error("Worker {pid} failed to boot: {reason}", worker.Pid, worker.BootError);
            }

            _lastBootError = worker.BootError;
        }
        else if (_stopping || worker.Phase == WorkerPhase.Stopping)
        {
            _log.Info("Worker exiting (pid: {pid})", worker.Pid);
        }
        else
        {
            _log.Warning("Worker {pid} exited unexpectedly with {exit}; starting a replacement", worker.Pid, DescribeExit(exitCode));
        }

        if (_stopping || !diedBooting)
        {
            return;
        }

        int bootCode = worker.BootExitCode ?? exitCode;
        if (!_everBooted && ExitCodes.IsAppLoadFailure(bootCode))
        {
            // The app cannot load: every new worker would die the same way, so stop here (Gunicorn's HaltServer).
            _log.Critical("App failed to load; stopping (exit code {exitCode})", bootCode);
            _exitCode = bootCode;
            Stop(graceful: false);
            return;
        }

        _consecutiveBootFailures++;
        long delay = (long)Math.Min(MaxRespawnDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(_consecutiveBootFailures, 10)));
        _nextSpawnAt = Environment.TickCount64 + delay;
        _log.Warning("Worker died while booting; next start in {delay} ms", delay);
    }

    private void SpawnMissingWorkers()
    {
        while (_workers.Count(w => w.Phase != WorkerPhase.Stopping) < _targetWorkers && Environment.TickCount64 >= _nextSpawnAt)
        {
            int id = _nextWorkerId++;
            WorkerHandle worker = _launcher!.Launch(id, new WorkerHandshake(id, _target, _settings));
            _workers.Add(worker);
            _log.Info("Booting worker with pid: {pid}", worker.Pid);
            Watch(worker);
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
            _log.Debug("Could not signal worker {pid}: it has exited", worker.Pid);
        }
    }

    private static string DescribeExit(int code) => code > 128 ? $"signal {code - 128}" : $"exit code {code}";
}
