using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace GatewayServer.Master;

/// <summary>
/// sd_notify(3) without libsystemd: when systemd set <c>NOTIFY_SOCKET</c>, state changes go to it as
/// datagrams of <c>KEY=VALUE</c> lines. <c>READY=1</c> once the workers accept, <c>RELOADING=1</c>
/// with <c>MONOTONIC_USEC</c> and then <c>READY=1</c> around a HUP (what <c>Type=notify-reload</c>
/// waits for), <c>STOPPING=1</c>, <c>WATCHDOG=1</c> every half <c>WATCHDOG_USEC</c> from the
/// master's loop (so a stuck loop stops it), and <c>MAINPID</c> when a USR2 successor takes over.
/// Without <c>NOTIFY_SOCKET</c> every call does nothing.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";
    public const string WatchdogVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly long _watchdogIntervalMilliseconds;
    private long _lastWatchdog = long.MinValue / 2;
    private bool _handedOver;

    private SystemdNotifier(string? path, long watchdogMicroseconds)
    {
        if (string.IsNullOrEmpty(path) || (path[0] != '/' && path[0] != '@'))
        {
            return;
        }

        // An abstract socket is written @name and addressed with a leading NUL.
        _endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _watchdogIntervalMilliseconds = watchdogMicroseconds / 2000;
    }

    public bool Enabled => _socket is not null && !_handedOver;

    /// <summary>The notifier <c>NOTIFY_SOCKET</c> and <c>WATCHDOG_USEC</c>/<c>WATCHDOG_PID</c> describe.</summary>
    public static SystemdNotifier FromEnvironment()
    {
        string? watchdogPid = Environment.GetEnvironmentVariable(WatchdogPidVariable);
        bool watchdogIsOurs = watchdogPid is null || watchdogPid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        long watchdog = watchdogIsOurs && long.TryParse(Environment.GetEnvironmentVariable(WatchdogVariable), NumberStyles.None, CultureInfo.InvariantCulture, out long usec) ? usec : 0;
        return new SystemdNotifier(Environment.GetEnvironmentVariable(SocketVariable), watchdog);
    }

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    public void Reloading(string status) =>
        Send(string.Create(CultureInfo.InvariantCulture, $"RELOADING=1\nMONOTONIC_USEC={Transport.Libc.MonotonicMicroseconds()}\nSTATUS={status}"));

    public void Stopping(string status) => Send($"STOPPING=1\nSTATUS={status}");

    public void Status(string status) => Send($"STATUS={status}");

    /// <summary>Called on every tick; pings when half the watchdog interval has passed.</summary>
    public void Watchdog(long now)
    {
        if (_watchdogIntervalMilliseconds > 0 && now - _lastWatchdog >= _watchdogIntervalMilliseconds)
        {
            _lastWatchdog = now;
            Send("WATCHDOG=1");
        }
    }

    /// <summary>USR2: the successor is the service's main process now; this master says so and then keeps quiet.</summary>
    public void HandOver(int successorPid, string status)
    {
        Send(string.Create(CultureInfo.InvariantCulture, $"MAINPID={successorPid}\nSTATUS={status}"));
        _handedOver = true;
    }

    /// <summary>The successor died: this master is the main process again.</summary>
    public void TakeBack(string status)
    {
        _handedOver = false;
        Send(string.Create(CultureInfo.InvariantCulture, $"MAINPID={Environment.ProcessId}\nREADY=1\nSTATUS={status}"));
    }

    public void Dispose() => _socket?.Dispose();

    private void Send(string state)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            _socket!.SendTo(Encoding.UTF8.GetBytes(state), _endPoint!);
        }
        catch (SocketException)
        {
            // systemd went away or the socket is full: notifications are advisory.
        }
    }
}
