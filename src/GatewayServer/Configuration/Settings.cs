using GatewayServer.Transport;
using static GatewayServer.Configuration.ValueParsers;

namespace GatewayServer.Configuration;

/// <summary>
/// The settings table: every setting of gwserve, declared once. Add a setting here and it appears
/// in <c>--help</c>, the config file, the environment, <c>--print-config</c> and docs/settings.md.
/// </summary>
public static class Settings
{
    public const string ServerSection = "Server socket";
    public const string WorkerSection = "Worker processes";
    public const string HttpSection = "HTTP protocol";
    public const string AppSection = "Application";
    public const string LoggingSection = "Logging";
    public const string ProxySection = "Behind a proxy";
    public const string TlsSection = "TLS";

    public static readonly ListSetting<BindAddress> Bind = new(
        "bind", ServerSection, "ADDRESS", [BindAddress.Tcp("127.0.0.1", 8000)], ValueParsers.Bind, b => b.ToString(),
        "Where to listen: HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N. Repeat to listen on several. Port 0 picks a free port. Defaults to 0.0.0.0:$PORT when PORT is set.")
    {
        ShortFlag = "-b",
    };

    public static readonly Setting<int> Backlog = new(
        "backlog", ServerSection, "INT", 2048, t => Integer(t, 1, 65535), Integer,
        "The most connections the kernel queues before they are accepted.");

    public static readonly Setting<int> UnixSocketMode = new(
        "unix-socket-mode", ServerSection, "MODE", -1, OctalMode, FormatOctalMode,
        "The permissions of unix: socket files, in octal (e.g. 660; the socket never has wider ones, even for an instant). Empty: what --umask leaves.");

    public static readonly Setting<int> Workers = new(
        "workers", WorkerSection, "INT", 1, t => Integer(t, 1, 1024), Integer,
        "How many worker processes serve requests. Defaults to $WEB_CONCURRENCY when it is set.")
    {
        ShortFlag = "-w",
        FallbackEnvironmentVariable = "WEB_CONCURRENCY",
    };

    public static readonly Setting<int> Threads = new(
        "threads", WorkerSection, "INT", 64, t => Integer(t, 1, 4096), Integer,
        "Threads each worker keeps ready for synchronous applications that block, so one slow request does not hold up the others. A thread waiting for a client's request body is not counted.");

    public static readonly Setting<int> WorkerConnections = new(
        "worker-connections", WorkerSection, "INT", 10000, t => Integer(t, 1, 1 << 20), Integer,
        "The most connections one worker holds open at once (idle keep-alive ones included). At the cap it stops accepting until one closes: new connections wait in the kernel's backlog, or go to the other workers.");

    public static readonly Setting<string> AppDispatch = new(
        "app-dispatch", WorkerSection, "MODE", "auto", t => OneOf(t, "auto", "loop", "pool"), s => s,
        "Where each worker runs requests: loop (on its event loop thread, with no hand-off between threads: the fastest, for applications that never block); pool (handed to the --threads pool: for applications that block on I/O, sleep or compute for long); or auto (on the loop until a request is seen to block it, then on the pool from then on, with a warning in the log). In every mode, a synchronous application whose request body is still arriving runs on the pool.");

    public static readonly Setting<TimeSpan> GracefulTimeout = new(
        "graceful-timeout", WorkerSection, "SECONDS", TimeSpan.FromSeconds(30), t => Seconds(t, 0), FormatSeconds,
        "After SIGTERM, how long workers may finish in-flight requests before they are killed.");

    public static readonly Setting<TimeSpan> ShutdownDelay = new(
        "shutdown-delay", WorkerSection, "SECONDS", TimeSpan.Zero, t => Seconds(t, 0), FormatSeconds,
        "After SIGTERM, keep serving (and accepting) this long before draining, while a load balancer or Kubernetes stops sending new connections; a second SIGTERM drains at once.");

    public static readonly Setting<TimeSpan> Timeout = new(
        "timeout", WorkerSection, "SECONDS", TimeSpan.FromSeconds(30), t => Seconds(t, 0), FormatSeconds,
        "A worker whose heartbeat is silent this long (every thread stuck, see docs/signals.md) gets SIGABRT, then SIGKILL, and is replaced; 0 turns hang detection off.")
    {
        ShortFlag = "-t",
    };

    public static readonly Setting<TimeSpan> RequestTimeout = new(
        "request-timeout", WorkerSection, "SECONDS", TimeSpan.Zero, t => Seconds(t, 0), FormatSeconds,
        "A request still running after this long is answered 504 (if nothing was sent yet); a worker whose app does not give the thread back is recycled. 0 turns it off.");

    public static readonly Setting<int> MaxRequests = new(
        "max-requests", WorkerSection, "INT", 0, t => Integer(t, 0, int.MaxValue), Integer,
        "A worker retires gracefully after serving this many requests (plus up to --max-requests-jitter) and is replaced; 0 turns it off.");

    public static readonly Setting<int> MaxRequestsJitter = new(
        "max-requests-jitter", WorkerSection, "INT", 0, t => Integer(t, 0, int.MaxValue), Integer,
        "A random 0..N added to --max-requests per worker, so that workers do not all retire at once.");

    public static readonly Setting<int> MaxWorkerMemory = new(
        "max-worker-memory", WorkerSection, "MB", 0, t => Integer(t, 0, int.MaxValue), Integer,
        "A worker whose resident memory (VmRSS) passes this many MiB is replaced gracefully; 0 turns it off.");

    public static readonly Setting<bool> ReusePort = new(
        "reuse-port", WorkerSection, "BOOL", false, Boolean, FormatBoolean,
        "Bind one SO_REUSEPORT socket per worker slot, so the kernel spreads connections over the workers (see docs/signals.md for the trade-offs).")
    {
        IsSwitch = true,
    };

    public static readonly Setting<bool> Reload = new(
        "reload", AppSection, "BOOL", false, Boolean, FormatBoolean,
        "For development: watch the app's folder (and --reload-extra-file) and replace the workers with a rolling reload when a file changes; the master keeps running through broken builds.")
    {
        IsSwitch = true,
    };

    public static readonly ListSetting<string> ReloadExtraFile = new(
        "reload-extra-file", AppSection, "GLOB", [], t => t.Length > 0 ? t : throw new SettingException("expected a file path or glob, e.g. config/*.json"), t => t,
        "With --reload, also watch these files; a glob's * matches within one folder and ** any folders below. Repeat for several.");

    public static readonly Setting<TimeSpan> KeepAlive = new(
        "keep-alive", HttpSection, "SECONDS", TimeSpan.FromSeconds(5), t => Seconds(t, 0), FormatSeconds,
        "How long an idle keep-alive connection waits for its next request.");

    public static readonly Setting<TimeSpan> HeaderTimeout = new(
        "header-timeout", HttpSection, "SECONDS", TimeSpan.FromSeconds(10), t => Seconds(t, 0.001), FormatSeconds,
        "How long a client may take to send a whole request head before it gets 408 (slowloris defence).");

    public static readonly Setting<int> LimitRequestLine = new(
        "limit-request-line", HttpSection, "BYTES", 4094, t => Integer(t, 0, 1 << 20), Integer,
        "The longest request line accepted (414 beyond it); 0 means the internal maximum of 1 MiB.");

    public static readonly Setting<int> LimitRequestFields = new(
        "limit-request-fields", HttpSection, "INT", 100, t => Integer(t, 0, 32768), Integer,
        "The most header fields in one request (431 beyond it); 0 means 32768.");

    public static readonly Setting<int> LimitRequestFieldSize = new(
        "limit-request-field-size", HttpSection, "BYTES", 8190, t => Integer(t, 0, 1 << 20), Integer,
        "The longest header field line accepted (431 beyond it); 0 means the internal maximum of 1 MiB.");

    public static readonly Setting<long> LimitRequestBody = new(
        "limit-request-body", HttpSection, "BYTES", 0, t => Long(t, 0), Integer,
        "The largest request body accepted (413 beyond it, checked against Content-Length before reading); 0 means unlimited. An ASP.NET Core app gets it as its default MaxRequestBodySize, which is otherwise Kestrel's 30,000,000 bytes.");

    public static readonly Setting<TimeSpan> BodyTimeout = new(
        "body-timeout", HttpSection, "SECONDS", TimeSpan.FromSeconds(30), t => Seconds(t, 0), FormatSeconds,
        "How long a read of the request body may wait for more bytes before the request gets 408 and is closed; 0 means no limit.");

    public static readonly Setting<int> MinRequestBodyRate = new(
        "min-request-body-rate", HttpSection, "BYTES", 240, t => Integer(t, 0, int.MaxValue), Integer,
        "The slowest a request body may arrive, in bytes per second of waiting, before it is cut off with 408 (like Kestrel's MinRequestBodyDataRate); 0 turns the check off.");

    public static readonly Setting<TimeSpan> MinRequestBodyRateGrace = new(
        "min-request-body-rate-grace", HttpSection, "SECONDS", TimeSpan.FromSeconds(5), t => Seconds(t, 0), FormatSeconds,
        "How long a request body may arrive below --min-request-body-rate before the rate is enforced.");

    public static readonly Setting<int> MinResponseRate = new(
        "min-response-rate", HttpSection, "BYTES", 240, t => Integer(t, 0, int.MaxValue), Integer,
        "The slowest a client may take its responses, in bytes per second (like Kestrel's MinResponseDataRate): a send that has to wait for the client gets the time its bytes, 16 KiB at most at a time, take at this rate (at least --min-response-rate-grace), and the connection is closed past it, so a client that stops reading is let go; 0 turns the check off.");

    public static readonly Setting<TimeSpan> MinResponseRateGrace = new(
        "min-response-rate-grace", HttpSection, "SECONDS", TimeSpan.FromSeconds(5), t => Seconds(t, 0), FormatSeconds,
        "The least time a send may wait for the client, however few its bytes, before --min-response-rate is enforced.");

    public static readonly Setting<string> ScriptName = new(
        "script-name", AppSection, "PATH", string.Empty, CheckScriptName, s => s,
        "The mount prefix reported to the app as SCRIPT_NAME and stripped from PATH_INFO, e.g. /api.");

    public static readonly Setting<string> Chdir = new(
        "chdir", AppSection, "DIR", string.Empty, t => t, s => s,
        "Change to this directory before loading the app; relative app paths resolve against it.");

    public const string ProcessSection = "Process";

    public static readonly Setting<string> Pid = new(
        "pid", ProcessSection, "FILE", string.Empty, CheckPidPath, s => s,
        "Write the master's pid to this file (atomically: written aside, then renamed) and remove it at exit. Empty: no pid file.");

    public static readonly Setting<string> User = new(
        "user", ProcessSection, "USER", string.Empty, t => CheckAccount(t, isGroup: false), s => s,
        "Run the workers as this user (name or uid) when gwserve starts as root; the master stays root and keeps the sockets. Empty: as the master.");

    public static readonly Setting<string> Group = new(
        "group", ProcessSection, "GROUP", string.Empty, t => CheckAccount(t, isGroup: true), s => s,
        "Run the workers with this group (name or gid) when gwserve starts as root; defaults to --user's primary group.");

    public static readonly Setting<int> Umask = new(
        "umask", ProcessSection, "MODE", -1, OctalMode, FormatOctalMode,
        "The file mode creation mask of the master and the workers, in octal (e.g. 027); it shapes unix socket, pid and log files. Empty: inherited.");

    public static readonly ListSetting<string> Env = new(
        "env", ProcessSection, "KEY=VALUE", [], CheckEnvironmentEntry, s => s,
        "Set an environment variable in the workers (the app sees it). Repeat for several.");

    public static readonly Setting<string> LogLevel = new(
        "log-level", LoggingSection, "LEVEL", "info", t => OneOf(t, "debug", "info", "warning", "error", "critical"), s => s,
        "The least severe error-log messages written: debug, info, warning, error or critical.");

    public static readonly Setting<string> ErrorLogfile = new(
        "error-logfile", LoggingSection, "FILE", "-", CheckLogPath, s => s,
        "Where the error log goes: a file path (opened for appending; reopened on SIGUSR1), or - for standard error.");

    public static readonly Setting<string> AccessLogfile = new(
        "access-logfile", LoggingSection, "FILE", string.Empty, t => t, s => s,
        "Where the access log goes: a file path (opened for appending; reopened on SIGUSR1), or - for standard output. Empty (the default) turns the access log off.");

    public static readonly Setting<string> AccessLogFormat = new(
        "access-logformat", LoggingSection, "FORMAT", Logging.AccessLogFormat.Default, CheckAccessLogFormat, s => s,
        "The access-log line, with Gunicorn's %(x)s tokens: h l u t r m U q H s B b f a T M D L p, %({header}i)s for a request header and %({header}o)s for a response header. Ignored when --log-format is json.");

    public static readonly Setting<string> LogFormat = new(
        "log-format", LoggingSection, "FORMAT", "text", t => OneOf(t, "text", "json"), s => s,
        "text for Gunicorn-style lines, or json for one JSON object per line in both the error and the access log.");

    public static readonly Setting<bool> CaptureOutput = new(
        "capture-output", LoggingSection, "BOOL", false, Boolean, FormatBoolean,
        "Send what the application writes to Console.Out and Console.Error into the error log (info and error level), tagged with the worker.")
    {
        IsSwitch = true,
    };

    public static readonly Setting<string> RequestId = new(
        "request-id", LoggingSection, "MODE", "off", t => OneOf(t, "off", "generate", "trust"), s => s,
        "Give every request an id, put in the environ as gateway.request_id, on the response as X-Request-Id and in the logs: off; generate (always a new one); or trust (the client's X-Request-Id when it is 1 to 128 characters of A-Z a-z 0-9 - _ . : @ + / =, else a new one).");

    public static readonly Setting<AddressAllowList> ForwardedAllowIps = new(
        "forwarded-allow-ips", ProxySection, "ADDRESSES", AddressAllowList.Loopback, AllowList, l => l.ToString(),
        "The proxies trusted to say who the client is: IP addresses and CIDR ranges separated by commas, or * for any peer. Only from these peers (and from Unix-socket peers) do the headers of --forwarded-headers set REMOTE_ADDR, gateway.url_scheme, SERVER_NAME/SERVER_PORT and SCRIPT_NAME; from anyone else they are only HTTP_* headers. Defaults to $FORWARDED_ALLOW_IPS when it is set.")
    {
        FallbackEnvironmentVariable = "FORWARDED_ALLOW_IPS",
    };

    public static readonly Setting<ForwardedHeaders> ForwardedHeaderNames = new(
        "forwarded-headers", ProxySection, "HEADERS", ForwardedHeaders.Default, ForwardedHeaderSet, ForwardedHeaderList.Format,
        "The proxy headers your proxy sets (overwriting what clients send), and so the only ones believed from --forwarded-allow-ips: none, or any of x-forwarded-for, x-forwarded-proto, x-forwarded-host, x-forwarded-prefix, forwarded, separated by commas. A header not named never changes the environ. The default is what docs/deploy/nginx.conf sets in every location.");

    public static readonly Setting<bool> ProxyProtocol = new(
        "proxy-protocol", ProxySection, "BOOL", false, Boolean, FormatBoolean,
        "Expect a PROXY protocol header (v1 or v2, as HAProxy, AWS NLB and nginx's proxy_protocol send) at the start of every connection from --proxy-allow-ips, and take REMOTE_ADDR and REMOTE_PORT from it. A connection from those peers without a valid header is closed; other peers speak plain HTTP.")
    {
        IsSwitch = true,
    };

    public static readonly Setting<AddressAllowList> ProxyAllowIps = new(
        "proxy-allow-ips", ProxySection, "ADDRESSES", AddressAllowList.Loopback, AllowList, l => l.ToString(),
        "The load balancers that send a PROXY protocol header (--proxy-protocol): IP addresses and CIDR ranges separated by commas, or *. Unix-socket peers always do.");

    public static readonly Setting<string> CertFile = new(
        "certfile", TlsSection, "FILE", string.Empty, t => CheckPemFile(t, "CERTIFICATE-----", "a certificate"), s => s,
        "Serve HTTPS with this certificate (PEM), followed in the file by any intermediate certificates to send with it. Each worker reads the files when it starts, so a reload (SIGHUP) picks up renewed ones.");

    public static readonly Setting<string> KeyFile = new(
        "keyfile", TlsSection, "FILE", string.Empty, t => CheckPemFile(t, "PRIVATE KEY-----", "a private key"), s => s,
        "The private key of --certfile (PEM; RSA or ECDSA). Empty: the key is in the certificate file.");

    public static readonly Setting<string> CaCerts = new(
        "ca-certs", TlsSection, "FILE", string.Empty, t => CheckPemFile(t, "CERTIFICATE-----", "a certificate"), s => s,
        "The CA certificates (PEM) client certificates must chain to (--cert-reqs). Empty: the system's trust store.");

    public static readonly Setting<string> CertReqs = new(
        "cert-reqs", TlsSection, "MODE", "none", t => OneOf(t, "none", "optional", "required"), s => s,
        "Whether TLS clients are asked for a certificate: none; optional (a client without one is served, one with an untrusted one is refused); or required. The application finds it as gateway.client_certificate.");

    public const string OperationsSection = "Metrics and control";

    public static readonly Setting<string> MetricsBind = new(
        "metrics-bind", OperationsSection, "ADDRESS", string.Empty, CheckMetricsBind, s => s,
        "Serve /metrics (Prometheus text), /livez and /readyz from the master at HOST:PORT or unix:PATH (docs/operations.md); needs a restart to change. Empty: off.");

    public static readonly Setting<string> ControlSocket = new(
        "control-socket", OperationsSection, "PATH", string.Empty, CheckPidPath, s => s,
        "Listen for gwserve ctl on this Unix socket (mode 0600; only its owner and root may use it); needs a restart to change. Empty: off.");

    public static readonly Setting<string> OtlpEndpoint = new(
        "otlp-endpoint", OperationsSection, "URL", string.Empty, CheckOtlpEndpoint, s => s,
        "Each worker also pushes its own metrics to this OpenTelemetry collector: OTLP over HTTP (protobuf) to URL/v1/metrics, every OTEL_METRIC_EXPORT_INTERVAL ms (default 60000); docs/operations.md says which metrics. Empty: off.");

    /// <summary>Every setting, in the order help and docs list them.</summary>
    public static readonly IReadOnlyList<Setting> All =
    [
        Bind, Backlog, UnixSocketMode,
        Workers, Threads, WorkerConnections, AppDispatch, GracefulTimeout, ShutdownDelay,
        Timeout, RequestTimeout, MaxRequests, MaxRequestsJitter, MaxWorkerMemory, ReusePort,
        KeepAlive, HeaderTimeout, LimitRequestLine, LimitRequestFields, LimitRequestFieldSize, LimitRequestBody,
        BodyTimeout, MinRequestBodyRate, MinRequestBodyRateGrace, MinResponseRate, MinResponseRateGrace,
        ScriptName, Chdir, Reload, ReloadExtraFile,
        Pid, User, Group, Umask, Env,
        LogLevel, ErrorLogfile, AccessLogfile, AccessLogFormat, LogFormat, CaptureOutput, RequestId,
        ForwardedAllowIps, ForwardedHeaderNames, ProxyProtocol, ProxyAllowIps,
        CertFile, KeyFile, CaCerts, CertReqs,
        MetricsBind, ControlSocket, OtlpEndpoint,
    ];

    private static readonly Dictionary<string, Setting> ByName = CreateIndex();

    /// <summary>The setting called <paramref name="name"/> (as in the config file), or null.</summary>
    public static Setting? Find(string name) => ByName.GetValueOrDefault(name);

    private static Dictionary<string, Setting> CreateIndex()
    {
        var index = new Dictionary<string, Setting>(StringComparer.OrdinalIgnoreCase);
        foreach (Setting setting in All)
        {
            index[setting.Name] = setting;
        }

        return index;
    }

    private static string CheckLogPath(string text) =>
        text.Length > 0 ? text : throw new SettingException("expected a file path or - for standard error");

    private static string CheckAccessLogFormat(string text)
    {
        try
        {
            Logging.AccessLogFormat.Parse(text);
            return text;
        }
        catch (FormatException error)
        {
            throw new SettingException(error.Message);
        }
    }

    private static AddressAllowList AllowList(string text)
    {
        try
        {
            return AddressAllowList.Parse(text);
        }
        catch (FormatException error)
        {
            throw new SettingException("expected IP addresses or CIDR ranges separated by commas, or *: " + error.Message);
        }
    }

    private static ForwardedHeaders ForwardedHeaderSet(string text)
    {
        try
        {
            return ForwardedHeaderList.Parse(text);
        }
        catch (FormatException error)
        {
            throw new SettingException($"expected {ForwardedHeaderList.Known}, separated by commas: {error.Message}");
        }
    }

    /// <summary>
    /// A PEM file with the block wanted, made absolute so that the workers find it whatever --chdir
    /// does. Only the common mistakes are caught here (a missing file, a certificate given as the
    /// key); a key that does not match its certificate fails when a worker loads them.
    /// </summary>
    private static string CheckPemFile(string text, string marker, string what)
    {
        if (text.Length == 0)
        {
            return text;
        }

        string contents;
        try
        {
            contents = File.ReadAllText(text);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SettingException("expected a readable file: " + error.Message);
        }

        return contents.Contains(marker, StringComparison.Ordinal)
            ? Path.GetFullPath(text)
            : throw new SettingException($"expected a PEM file holding {what}");
    }

    private static string CheckScriptName(string text) =>
        text.Length == 0 || (text.StartsWith('/') && !text.EndsWith('/'))
            ? text
            : throw new SettingException("expected a path that starts with / and does not end with /, e.g. /api");

    private static string CheckPidPath(string text) =>
        text.Length == 0 || !text.EndsWith('/') ? text : throw new SettingException("expected a file path, not a directory");

    private static string CheckMetricsBind(string text) =>
        text.Length == 0 || Bind(text).Kind != BindKind.Descriptor ? text : throw new SettingException("expected HOST:PORT or unix:PATH");

    private static string CheckOtlpEndpoint(string text) =>
        text.Length == 0 || (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0)
            ? text
            : throw new SettingException("expected an http:// or https:// URL without a query, such as http://127.0.0.1:4318");

    private static string CheckAccount(string text, bool isGroup)
    {
        if (text.Length == 0 || (isGroup ? ProcessIdentity.FindGroup(text) is not null : ProcessIdentity.FindUser(text) is not null))
        {
            return text;
        }

        throw new SettingException(isGroup ? "expected a group name or gid that exists on this machine" : "expected a user name or uid that exists on this machine");
    }

    private static string CheckEnvironmentEntry(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && text.IndexOf('\0', StringComparison.Ordinal) < 0
            ? text
            : throw new SettingException("expected KEY=VALUE with a non-empty KEY");
    }
}
