using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using GatewayServer.Logging;
using GatewayServer.Master;
using GatewayServer.Transport;

namespace GatewayServer.Operations;

/// <summary>
/// <c>--control-socket</c>: the Unix socket <c>gwserve ctl</c> talks to. One request line per
/// connection, then the answer and end of stream. The file is made with mode 0600, and each peer's
/// <c>SO_PEERCRED</c> must be the master's own user or root, whatever the file's mode later
/// becomes. Commands that a signal can give are posted to the master's loop as that signal, so
/// they run exactly the signal's code.
/// </summary>
public sealed class ControlSocket : IDisposable
{
    private const int OwnerOnly = 0x180; // 0600
    private const int MaxConnections = 8;

    private readonly MasterProcess _master;
    private readonly ErrorLog _log;
    private readonly OperationsListener _listener;
    private readonly uint _owner = Libc.geteuid();

    private ControlSocket(Listener listener, MasterProcess master, ErrorLog log)
    {
        _master = master;
        _log = log;
        _listener = new OperationsListener(listener, MaxConnections, "Control socket", log, ServeAsync);
    }

    public string Path => _listener.Listener.Address.Path;

    /// <summary>Binds <paramref name="path"/> (replacing a stale socket file, never anything else) and starts answering.</summary>
    public static ControlSocket Start(string path, MasterProcess master, ErrorLog log) =>
        new(ListenerFactory.Open(BindAddress.Parse("unix:" + path), backlog: 16, unixSocketMode: OwnerOnly), master, log);

    public void Dispose() => _listener.Dispose();

    /// <summary>Whether a peer with <paramref name="uid"/> may give commands to a master running as <paramref name="owner"/>.</summary>
    public static bool IsAllowed(uint uid, uint owner) => uid == owner || uid == 0;

    private async Task ServeAsync(Socket client, CancellationToken cancellation)
    {
        string answer;
        PeerCredentials? peer = PeerCredentials.Of(client);
        if (peer is not { } known || !IsAllowed(known.Uid, _owner))
        {
            _log.Warning($"Control socket: refused a connection from uid {peer?.Uid.ToString(CultureInfo.InvariantCulture) ?? "?"} (pid {peer?.Pid.ToString(CultureInfo.InvariantCulture) ?? "?"}): only the master's user and root may use it");
            answer = "error: permission denied: only the master's user and root may use this socket\n";
        }
        else
        {
            string? line = await ReadLineAsync(client, cancellation).ConfigureAwait(false);
            answer = line is null ? $"error: send one command line of at most {ControlRequest.MaxLineLength} bytes\n" : await ExecuteAsync(line, known, cancellation).ConfigureAwait(false);
        }

        await client.SendAsync(Encoding.UTF8.GetBytes(answer), SocketFlags.None, cancellation).ConfigureAwait(false);
    }

    private async Task<string> ExecuteAsync(string line, PeerCredentials peer, CancellationToken cancellation)
    {
        ControlRequest request;
        try
        {
            request = ControlRequest.Parse(line);
        }
        catch (FormatException error)
        {
            return $"error: {error.Message}\n";
        }

        switch (request.Command)
        {
            case "status":
                PoolSnapshot pool = await _master.SnapshotAsync(cancellation).ConfigureAwait(false);
                return request.Json ? PoolReport.StatusJson(pool) : PoolReport.StatusText(pool);
            case "workers":
                pool = await _master.SnapshotAsync(cancellation).ConfigureAwait(false);
                return request.Json ? PoolReport.StatusJson(pool) : PoolReport.WorkersText(pool);
            case "stats":
                pool = await _master.SnapshotAsync(cancellation).ConfigureAwait(false);
                return request.Json ? PoolReport.StatsJson(pool) : PoolReport.StatsText(pool);
        }

        (PosixSignal signal, string done) = request.Command switch
        {
            "reload" => (PosixSignal.SIGHUP, "reload started (as HUP)"),
            "add" => (Signals.Ttin, $"{request.Count} more workers wanted (as TTIN)"),
            "remove" => (Signals.Ttou, $"{request.Count} fewer workers wanted (as TTOU)"),
            "reopen-logs" => (Signals.Usr1Signal, "log files reopened (as USR1)"),
            _ => request.Graceful ? (PosixSignal.SIGTERM, "stopping gracefully (as TERM)") : (PosixSignal.SIGQUIT, "stopping (as QUIT)"),
        };
        _log.Info($"Control socket: {line.Trim()} (from pid {peer.Pid}, uid {peer.Uid})");
        for (int i = 0; i < request.Count; i++)
        {
            _master.Post(signal);
        }

        return $"ok: {done}\n";
    }

    /// <summary>One line, without its newline; null when it is longer than allowed or the client closed first.</summary>
    private static async Task<string?> ReadLineAsync(Socket client, CancellationToken cancellation)
    {
        byte[] buffer = new byte[ControlRequest.MaxLineLength + 1];
        int length = 0;
        while (length < buffer.Length)
        {
            int received = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellation).ConfigureAwait(false);
            int newline = Array.IndexOf(buffer, (byte)'\n', length, received);
            length += received;
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, newline).TrimEnd('\r');
            }

            if (received == 0)
            {
                return length > 0 ? Encoding.UTF8.GetString(buffer, 0, length) : null;
            }
        }

        return null;
    }
}
