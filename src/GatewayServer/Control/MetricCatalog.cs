namespace GatewayServer.Control;

/// <summary>
/// Every metric gwserve exposes, declared once: the workers report these names over the control
/// channel, the master writes HELP and TYPE from here and drops any name that is not declared,
/// and docs/operations.md documents each (a test checks that it does). Names follow the
/// OpenTelemetry HTTP semantic conventions where one exists, <c>gwserve_*</c> otherwise.
/// </summary>
public static class MetricCatalog
{
    public static readonly MetricFamily RequestDuration = new(
        "http_server_request_duration_seconds", MetricKind.Histogram, "s", "method, status",
        "Duration of HTTP server requests, from taking up the head to the end of the response.", "http.server.request.duration");

    public static readonly MetricFamily ActiveRequests = new(
        "http_server_active_requests", MetricKind.Gauge, "{request}", string.Empty,
        "Requests being processed now.", "http.server.active_requests");

    public static readonly MetricFamily ActiveConnections = new(
        "gwserve_connections_active", MetricKind.Gauge, "{connection}", string.Empty,
        "Connections open now.", "gwserve.connections.active");

    public static readonly MetricFamily UpgradedConnections = new(
        "gwserve_connections_upgraded", MetricKind.Gauge, "{connection}", string.Empty,
        "Connections open now that switched protocols (WebSockets and other upgrades); counted in gwserve_connections_active too.", "gwserve.connections.upgraded");

    public static readonly MetricFamily Connections = new(
        "gwserve_connections_total", MetricKind.Counter, "{connection}", string.Empty,
        "Connections accepted.", "gwserve.connections");

    public static readonly MetricFamily RejectedRequests = new(
        "gwserve_requests_rejected_total", MetricKind.Counter, "{request}", "status",
        "Requests the server answered with an error of its own (400, 408, 413, 414, 431, ...) instead of running the app.", "gwserve.requests.rejected");

    public static readonly MetricFamily ReceivedBytes = new(
        "gwserve_received_bytes_total", MetricKind.Counter, "By", string.Empty,
        "Bytes received from clients (heads and bodies), counted when a connection closes.", "gwserve.received");

    public static readonly MetricFamily SentBytes = new(
        "gwserve_sent_bytes_total", MetricKind.Counter, "By", string.Empty,
        "Bytes sent to clients, counted when a connection closes.", "gwserve.sent");

    public static readonly MetricFamily AppExceptions = new(
        "gwserve_app_exceptions_total", MetricKind.Counter, "{exception}", string.Empty,
        "Exceptions the application threw (answered 500 when nothing was sent yet).", "gwserve.app.exceptions");

    public static readonly MetricFamily LoopMovesToPool = new(
        "gwserve_loop_moves_to_pool_total", MetricKind.Counter, "{move}", string.Empty,
        "Times the event loop moved the application to the thread pool (--app-dispatch auto).", "gwserve.loop.moves_to_pool");

    public static readonly MetricFamily LoopBusyTime = new(
        "gwserve_event_loop_busy_seconds_total", MetricKind.Counter, "s", string.Empty,
        "Time the event loop's thread spent serving rather than waiting in epoll_wait; its rate is the loop's busy ratio.", "gwserve.event_loop.busy_time")
    {
        WireUnitsPerUnit = 1_000_000,
    };

    public static readonly MetricFamily Workers = new(
        "gwserve_workers", MetricKind.Gauge, "{worker}", "state",
        "Worker processes by state: booting, ready, stopping.");

    public static readonly MetricFamily WorkerRestarts = new(
        "gwserve_worker_restarts_total", MetricKind.Counter, "{restart}", "reason",
        "Workers replaced, by reason: crash, timeout, max-requests, request-timeout, memory, reload, boot-failure.");

    public static readonly MetricFamily Reloads = new(
        "gwserve_reloads_total", MetricKind.Counter, "{reload}", string.Empty,
        "Rolling reloads started (HUP, gwserve ctl reload, --reload).");

    public static readonly MetricFamily ListenQueue = new(
        "gwserve_listen_queue", MetricKind.Gauge, "{connection}", "listener, slot",
        "Connections waiting in a listening socket's accept queue.");

    public static readonly MetricFamily ListenQueueMax = new(
        "gwserve_listen_queue_max", MetricKind.Gauge, "{connection}", "listener, slot",
        "The accept queue's length limit (the effective --backlog).");

    public static readonly MetricFamily WorkerResidentBytes = new(
        "gwserve_worker_resident_bytes", MetricKind.Gauge, "By", "worker",
        "A worker's resident memory (VmRSS).");

    public static readonly MetricFamily WorkerProportionalBytes = new(
        "gwserve_worker_proportional_bytes", MetricKind.Gauge, "By", "worker",
        "A worker's proportional set size (Pss): its share of memory shared with other processes.");

    /// <summary>The seconds bounds of <see cref="RequestDuration"/>'s buckets: OpenTelemetry's defaults for it.</summary>
    public static readonly double[] DurationBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>All of them, in the order of the exposition.</summary>
    public static readonly IReadOnlyList<MetricFamily> All =
    [
        RequestDuration, ActiveRequests, ActiveConnections, UpgradedConnections, Connections, RejectedRequests, ReceivedBytes, SentBytes,
        AppExceptions, LoopMovesToPool, LoopBusyTime, Workers, WorkerRestarts, Reloads, ListenQueue, ListenQueueMax,
        WorkerResidentBytes, WorkerProportionalBytes,
    ];

    /// <summary>The family a series key (<c>name</c> or <c>name{labels}</c>) belongs to, or null when none is declared.</summary>
    public static MetricFamily? FamilyOf(string seriesKey)
    {
        int brace = seriesKey.IndexOf('{', StringComparison.Ordinal);
        ReadOnlySpan<char> name = brace < 0 ? seriesKey : seriesKey.AsSpan(0, brace);
        foreach (MetricFamily family in All)
        {
            if (name.SequenceEqual(family.Name))
            {
                return family;
            }
        }

        return null;
    }
}
