using GatewayServer.Logging;

namespace GatewayServer.Worker;

/// <summary>
/// The worker's timeout sweep, on a thread of its own, as Kestrel's heartbeat: once a second it
/// enforces every connection's head, keep-alive, body and request timeouts. It used to be a
/// thread-pool timer, but the pool is capped at <c>--threads</c>, and the requests whose timeouts
/// it enforces are exactly what can fill the pool: stalled uploads then held every thread and no
/// timeout ever fired. Nothing the sweep does waits: it sets flags, cancels tokens (the socket and
/// readiness waits they end resume on the pool, never on this thread), shuts a socket's receive
/// side, or answers 504 with a send that does not wait.
/// </summary>
internal sealed class TimeoutSweep
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ConnectionRegistry _connections;
    private readonly ErrorLog _log;
    private long _oldestRequest;

    private TimeoutSweep(ConnectionRegistry connections, ErrorLog log)
    {
        _connections = connections;
        _log = log;
    }

    /// <summary>How long the oldest request in progress had run at the last sweep, in milliseconds (0 when idle).</summary>
    public long OldestRequest => Volatile.Read(ref _oldestRequest);

    public static TimeoutSweep Start(ConnectionRegistry connections, ErrorLog log)
    {
        var sweep = new TimeoutSweep(connections, log);
        new Thread(sweep.Run) { IsBackground = true, Name = "gwserve timeout sweep" }.Start();
        return sweep;
    }

    private void Run()
    {
        while (true)
        {
            Thread.Sleep(Interval);
            try
            {
                Volatile.Write(ref _oldestRequest, _connections.CheckTimeouts(Environment.TickCount64));
            }
            catch (Exception error)
            {
                // A fault of the server's own: logged, and the next sweep runs all the same.
                _log.Error("timeout sweep failed: {error}", error);
            }
        }
    }
}
