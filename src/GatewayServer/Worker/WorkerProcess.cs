using System.Net.Sockets;
using System.Runtime.InteropServices;
using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Engine;
using GatewayServer.Gateway;
using GatewayServer.Owin;
using GatewayServer.Http;
using GatewayServer.Loading;
using GatewayServer.Logging;
using GatewayServer.Transport;

namespace GatewayServer.Worker;

/// <summary>
/// A worker process: receives its settings from the master, loads the app, accepts connections
/// on the inherited listening sockets, reports to the master once a second, and stops on
/// SIGTERM (gracefully), SIGINT/SIGQUIT (at once), when the master disappears, or on its own
/// when it has served <c>--max-requests</c> or an app will not give back a timed-out request.
/// </summary>
public sealed class WorkerProcess
{
    private readonly TaskCompletionSource<StopMode> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ControlChannel? _control;
    private EngineContext? _context;
    private IApplicationHost? _host;

    /// <summary>
    /// How long an ASP.NET Core app's first requests may wait on the loop (class loading, the
    /// runtime's tiering) before waits count towards moving it to the pool: measured, such warm-up
    /// waits moved both workers there, at two to three times the CPU per request from then on.
    /// </summary>
    private static readonly TimeSpan AppModelWarmUp = TimeSpan.FromSeconds(10);
    private int _retiring;

    private enum StopMode
    {
        Graceful,
        Immediate,
    }

    /// <summary>Whether this process was started by a master as a worker.</summary>
    public static bool IsWorker => Environment.GetEnvironmentVariable(WorkerEnvironment.ControlDescriptor) is not null;

    public static Task<int> RunAsync() => new WorkerProcess().RunCoreAsync();

    private async Task<int> RunCoreAsync()
    {
        int controlDescriptor = int.Parse(Environment.GetEnvironmentVariable(WorkerEnvironment.ControlDescriptor)!, System.Globalization.CultureInfo.InvariantCulture);
        string listenDescriptors = Environment.GetEnvironmentVariable(WorkerEnvironment.ListenDescriptors) ?? string.Empty;
        Environment.SetEnvironmentVariable(WorkerEnvironment.ControlDescriptor, null);
        Environment.SetEnvironmentVariable(WorkerEnvironment.ListenDescriptors, null);

        using ControlChannel control = ControlChannel.FromDescriptor(controlDescriptor);
        WorkerHandshake handshake = await WorkerHandshake.ReadAsync(control).ConfigureAwait(false);
        ServerSettings settings = handshake.Settings;
        using WorkerLogs logs = WorkerLogs.Open(settings, handshake.WorkerId);
        if (logs.Failure is not null)
        {
            control.TrySend($"{WorkerMessages.BootFailed} {WorkerMessages.BootFailedExitCode} {logs.Failure}");
            return WorkerMessages.BootFailedExitCode;
        }

        ErrorLog log = logs.Error;

        // After the logs are open (their files may be root's), before any app code runs.
        string user = settings.Get(Settings.User);
        string group = settings.Get(Settings.Group);
        if ((user.Length > 0 || group.Length > 0) && ProcessIdentity.IsRoot)
        {
            try
            {
                ProcessIdentity.SwitchTo(user, group);
            }
            catch (IOException error)
            {
                control.TrySend($"{WorkerMessages.BootFailed} {WorkerMessages.BootFailedExitCode} cannot run as --user {user} --group {group}: {error.Message}");
                return WorkerMessages.BootFailedExitCode;
            }
        }

        // --threads is the pool's size, both ends: a worker is hung (and its heartbeat, a pool work
        // item, stops) when all of them are stuck, instead of the pool growing without bound.
        // Threads waiting for a client's body are not counted (ThreadPoolBudget).
        ThreadPoolBudget.SetWorkingThreads(Math.Max(settings.Get(Settings.Threads), Environment.ProcessorCount));

        IAppModel application;
        try
        {
            application = LoadApplication(handshake.Target, settings, listenDescriptors, log, out _host);
        }
        catch (AppLoadException error)
        {
            control.TrySend($"{WorkerMessages.BootFailed} {error.ExitCode} {error.Message}");
            return error.ExitCode;
        }

        long requestLimit = MaxRequestsThreshold.Pick(settings.Get(Settings.MaxRequests), settings.Get(Settings.MaxRequestsJitter), Random.Shared);

        TlsServer? tls;
        try
        {
            tls = TlsFrom(settings);
        }
        catch (InvalidOperationException error)
        {
            control.TrySend($"{WorkerMessages.BootFailed} {WorkerMessages.BootFailedExitCode} {error.Message}");
            return WorkerMessages.BootFailedExitCode;
        }

        // Counted only when the master serves them (--metrics-bind), gwserve ctl may ask (--control-socket) or a collector takes them (--otlp-endpoint).
        string otlpEndpoint = settings.Get(Settings.OtlpEndpoint);
        using ServerMetrics? metrics = settings.Get(Settings.MetricsBind).Length > 0 || settings.Get(Settings.ControlSocket).Length > 0 || otlpEndpoint.Length > 0
            ? new ServerMetrics(MetricCatalog.DurationBounds)
            : null;
        using AcceptBalancer? balancer = AcceptBalancer.Join();
        var connections = new ConnectionRegistry { Balancer = balancer, Capacity = settings.Get(Settings.WorkerConnections) };
        ReadinessLoop eventLoop = ReadinessLoop.Start(
            Enum.Parse<LoopDispatch>(settings.Get(Settings.AppDispatch), ignoreCase: true),
            reason =>
            {
                metrics?.LoopMovedToPool();
                log.Warning("{reason} (--app-dispatch pool starts there)", reason);
            },
            _host is null ? TimeSpan.Zero : AppModelWarmUp,
            measureBusyTime: metrics is not null);
        if (metrics is not null)
        {
            metrics.LoopBusySeconds = () => eventLoop.BusySeconds;
        }

        using IDisposable? otlp = otlpEndpoint.Length > 0 ? OtlpMetricsExport.Start(otlpEndpoint, handshake.Generation) : null;
        var context = new EngineContext(application, LimitsFrom(settings), TimeProvider.System, new WorkerLog(log))
        {
            ConnectionClosed = connections.Remove,
            Loop = eventLoop,
            Metrics = metrics,
            ForwardedAllowIps = settings.Get(Settings.ForwardedAllowIps),
            ForwardedHeaders = settings.Get(Settings.ForwardedHeaderNames),
            ProxyProtocolAllowIps = settings.Get(Settings.ProxyProtocol) ? settings.Get(Settings.ProxyAllowIps) : null,
            Tls = tls,
            AccessLog = logs.Access,
            RequestIds = Enum.Parse<RequestIdMode>(settings.Get(Settings.RequestId), ignoreCase: true),
            ScriptName = settings.Get(Settings.ScriptName),
            Multiprocess = settings.Get(Settings.Workers) > 1,
            HeaderTimeout = settings.Get(Settings.HeaderTimeout),
            KeepAliveTimeout = settings.Get(Settings.KeepAlive),
            RequestTimeout = settings.Get(Settings.RequestTimeout),
            RequestLimit = requestLimit,
            RequestLimitReached = () => Retire("max-requests", requestLimit),
            RequestAbandoned = () => Retire("request-timeout", Interlocked.Read(ref _context!.RequestCount)),
        };
        _context = context;
        _control = control;

        var loops = new List<AcceptLoop>();
        foreach (string fd in listenDescriptors.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int descriptor = int.Parse(fd, System.Globalization.CultureInfo.InvariantCulture);
            Libc.SetInheritable(descriptor, false);
            var loop = new AcceptLoop(descriptor, context, connections, log);
            loops.Add(loop);
            loop.Start();
        }

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        using PosixSignalRegistration reopen = PosixSignalRegistration.Create(WorkerLogs.ReopenSignal, logs.OnReopenSignal);

        control.Send(WorkerMessages.Ready);
        // An ASP.NET Core app that ends on its own (its code called StopApplication) retires the worker.
        _host?.Completion.ContinueWith(
            _ =>
            {
                if (!_stop.Task.IsCompleted)
                {
                    Retire("app-stopped", Interlocked.Read(ref context.RequestCount));
                }
            },
            TaskScheduler.Default);
        _ = WatchMasterAsync(control);
        // Timeouts are enforced from a thread of their own, which nothing a request does can starve.
        TimeoutSweep sweep = TimeoutSweep.Start(connections, log);
        // The heartbeat: a timer callback is a thread-pool work item, so it stops when no pool thread
        // is free; it also stops while the event loop is stuck in one batch (an app blocking it).
        using var heartbeat = new Timer(_ =>
        {
            if (eventLoop.IsStuck(Environment.TickCount64))
            {
                return;
            }

            balancer?.Touch();
            control.TrySend($"{WorkerMessages.Status} {Interlocked.Read(ref context.RequestCount)} {sweep.OldestRequest}");
            if (metrics is not null)
            {
                control.TrySend(WorkerMetricsReport.Line(metrics));
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        StopMode mode = await _stop.Task.ConfigureAwait(false);
        // Counted from the signal: joining the accept threads below takes part of it.
        TimeSpan timeout = settings.Get(Settings.GracefulTimeout);
        Task gracePeriod = Task.Delay(timeout);
        context.Stopping = true;
        foreach (AcceptLoop loop in loops)
        {
            loop.Stop();
            loop.TakeQueuedAndClose(takeQueued: mode == StopMode.Graceful && settings.Get(Settings.ReusePort));
        }

        if (mode == StopMode.Graceful)
        {
            // Accepted connections are all registered once the accept threads are out.
            Task drained = connections.DrainAsync();
            // An ASP.NET Core app stops beside the drain: ApplicationStopping, hosted services' StopAsync.
            Task stopped = _host is null ? drained : Task.WhenAll(drained, _host.StopAsync(drained, timeout));
            if (await Task.WhenAny(stopped, gracePeriod).ConfigureAwait(false) != stopped)
            {
                log.Warning("Graceful timeout ({seconds}s) reached with {count} connections open", timeout.TotalSeconds, connections.Count);
            }
        }

        connections.AbortAll();
        if (metrics is not null)
        {
            // The last word: what the master folds into the pool's retired totals.
            control.TrySend(WorkerMetricsReport.Line(metrics));
        }

        return 0;
    }

    /// <summary>
    /// Stops accepting and drains, on the worker's own initiative; tells the master first, so it
    /// starts the replacement at once. Responses written from now on say <c>Connection: close</c>.
    /// </summary>
    private void Retire(string reason, long requests)
    {
        if (Interlocked.Exchange(ref _retiring, 1) != 0)
        {
            return;
        }

        _context!.Stopping = true;
        _control?.TrySend($"{WorkerMessages.Retiring} {reason} {requests}");
        _stop.TrySetResult(StopMode.Graceful);
    }

    private void OnSignal(PosixSignalContext signal)
    {
        signal.Cancel = true;
        _stop.TrySetResult(signal.Signal == PosixSignal.SIGTERM ? StopMode.Graceful : StopMode.Immediate);
    }

    private async Task WatchMasterAsync(ControlChannel control)
    {
        // The master never writes after the handshake: the read ends only when the master is gone.
        while (await control.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }

        _stop.TrySetResult(StopMode.Immediate);
    }

    /// <summary>Loads the app and maps its shape to the app model that serves it, once.</summary>
    private static IAppModel LoadApplication(string targetText, ServerSettings settings, string listenDescriptors, ErrorLog log, out IApplicationHost? host)
    {
        host = null;
        string chdir = settings.Get(Settings.Chdir);
        if (chdir.Length > 0)
        {
            Directory.SetCurrentDirectory(chdir);
        }

        LoadedApplication loaded = AppLoader.Load(AppTarget.Parse(targetText, Directory.GetCurrentDirectory()));
        if (loaded.Kind == ApplicationKind.Host)
        {
            (host, IAppModel model) = ApplicationHostLoader.Start(loaded, targetText, settings, listenDescriptors, log);
            return model;
        }

        return loaded.Kind switch
        {
            ApplicationKind.Sync => new GatewayAppModel(loaded.Sync!, new WorkerLog(log)),
            ApplicationKind.Async => new GatewayAppModel(loaded.Async!, new WorkerLog(log)),
            _ => new OwinAppModel(loaded.Owin!, new WorkerLog(log)),
        };
    }

    /// <summary>
    /// The worker reads its certificate files here, once, at boot: a reload starts new workers,
    /// which read them afresh, so renewed certificates need nothing more than SIGHUP.
    /// </summary>
    private static TlsServer? TlsFrom(ServerSettings settings)
    {
        string certFile = settings.Get(Settings.CertFile);
        string keyFile = settings.Get(Settings.KeyFile);
        string caCerts = settings.Get(Settings.CaCerts);
        var mode = Enum.Parse<ClientCertificateMode>(settings.Get(Settings.CertReqs), ignoreCase: true);
        if (certFile.Length == 0)
        {
            return keyFile.Length == 0 && caCerts.Length == 0 && mode == ClientCertificateMode.None
                ? null
                : throw new InvalidOperationException("--keyfile, --ca-certs and --cert-reqs need --certfile");
        }

        return TlsServer.Load(certFile, keyFile, caCerts, mode);
    }

    private static HttpLimits LimitsFrom(ServerSettings settings)
    {
        const int InternalMaximum = 1 << 20;
        int line = settings.Get(Settings.LimitRequestLine);
        int fields = settings.Get(Settings.LimitRequestFields);
        int fieldSize = settings.Get(Settings.LimitRequestFieldSize);
        long body = settings.Get(Settings.LimitRequestBody);
        return new HttpLimits
        {
            MaxRequestLine = line == 0 ? InternalMaximum : line,
            MaxHeaderCount = fields == 0 ? 32768 : fields,
            MaxHeaderFieldSize = fieldSize == 0 ? InternalMaximum : fieldSize,
            MaxBodySize = body == 0 ? -1 : body,
            BodyReadTimeout = settings.Get(Settings.BodyTimeout),
            MinBodyDataRate = settings.Get(Settings.MinRequestBodyRate),
            MinBodyDataRateGrace = settings.Get(Settings.MinRequestBodyRateGrace),
            MinResponseDataRate = settings.Get(Settings.MinResponseRate),
            MinResponseDataRateGrace = settings.Get(Settings.MinResponseRateGrace),
        };
    }
}
