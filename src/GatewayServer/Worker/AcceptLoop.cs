using System.Net.Sockets;
using GatewayServer.Engine;
using GatewayServer.Logging;
using GatewayServer.Transport;

namespace GatewayServer.Worker;

/// <summary>
/// Accepts connections on one inherited listening socket, on a thread of its own blocked in
/// <c>accept(2)</c> (<see cref="BlockingAccept"/>: the kernel hands connections to the waiting
/// workers in turn, which spreads them evenly). After each accept the thread waits until the
/// thread pool has started serving that connection: a worker whose threads are all busy stops
/// taking connections and leaves them to the others, rather than queueing them where nothing runs;
/// so does a worker whose event loop is stuck. A worker holding <c>--worker-connections</c>
/// connections accepts none until one closes (<see cref="ConnectionRegistry.TryReserve"/>).
/// </summary>
internal sealed class AcceptLoop
{
    /// <summary>How often a thread blocked in accept wakes to see whether the worker is stopping.</summary>
    private static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>At most this many queued connections are taken on the way out (the kernel's largest backlog), so the sweep ends.</summary>
    private const int MaxQueuedTaken = 4096;

    private readonly BlockingAccept _accept;
    private readonly EngineContext _context;
    private readonly ConnectionRegistry _connections;
    private readonly ErrorLog _log;
    private readonly ManualResetEventSlim _handedOff = new(initialState: true);
    private readonly Thread _thread;
    private volatile bool _stopped;
    private long _lastCapacityWarning;

    public AcceptLoop(int descriptor, EngineContext context, ConnectionRegistry connections, ErrorLog log)
    {
        _accept = new BlockingAccept(descriptor, WakeInterval);
        _context = context;
        _connections = connections;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = $"gwserve accept fd {descriptor}" };
    }

    public void Start() => _thread.Start();

    /// <summary>
    /// Stops accepting; returns once the thread has left (each of its waits is bounded by the wake
    /// interval). No timeout: a connection the thread accepts on its way out must be registered
    /// before the worker drains, or the worker would exit without serving it.
    /// </summary>
    public void Stop()
    {
        _stopped = true;
        _thread.Join();
    }

    private void Run()
    {
        while (!_stopped)
        {
            if (!_handedOff.Wait(WakeInterval))
            {
                continue;
            }

            if (_context.Loop?.IsStuck(Environment.TickCount64) == true)
            {
                // An application holds the event loop (--app-dispatch loop): connections taken now would wait behind it.
                Thread.Sleep(WakeInterval);
                continue;
            }

            if (!_connections.TryReserve(WakeInterval))
            {
                // At --worker-connections: accept nothing until a connection closes; new ones wait
                // in the kernel's backlog or go to the other workers.
                WarnAtCapacity();
                continue;
            }

            // A worker ahead of the others lets them take the next connection (see ConnectionScoreboard).
            _connections.Balancer?.WaitForTurn();

            Socket? client;
            try
            {
                client = _accept.Accept();
            }
            catch (IOException error)
            {
                // Out of descriptors, or the like: wait a moment, keep serving.
                _connections.ReturnPlace();
                _log.Warning("accept failed: {error}", error.Message);
                Thread.Sleep(50);
                continue;
            }

            if (client is null)
            {
                _connections.ReturnPlace();
                // Idle: before waiting in accept again, check the pool still runs work (a hung
                // worker should not take the next connection).
                _handedOff.Reset();
                ThreadPool.UnsafeQueueUserWorkItem(static loop => loop._handedOff.Set(), this, preferLocal: false);
                continue;
            }

            // Accepted, even if the worker is stopping by now: it is ours to serve.
            _handedOff.Reset();
            Serve(client);
        }
    }

    /// <summary>
    /// After <see cref="Stop"/>: with <paramref name="takeQueued"/> (<c>--reuse-port</c>, where this
    /// socket may be its slot's last and its queue would be reset with it), serves the connections
    /// already queued on the socket; then closes this process's descriptor. A shared socket stays
    /// open in the master and the other workers, and keeps its queue for them.
    /// </summary>
    public void TakeQueuedAndClose(bool takeQueued)
    {
        for (int taken = 0; takeQueued && taken < MaxQueuedTaken; taken++)
        {
            Socket? client;
            try
            {
                client = _accept.AcceptIfQueued();
            }
            catch (IOException error)
            {
                _log.Warning("accept failed: {error}", error.Message);
                break;
            }

            if (client is null)
            {
                break;
            }

            Serve(client);
        }

        Libc.close(_accept.Descriptor);
    }

    /// <summary>Registers an accepted connection and starts it, on the event loop or the pool.</summary>
    private void Serve(Socket client)
    {
        if (client.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
        {
            client.NoDelay = true;
        }

        var connection = new HttpConnection(client, _context);
        _connections.Add(connection);
        var handoff = new Handoff(this, connection);
        if (_context.Loop is { RunsOnPool: false } loop && !ConnectionHandshake.IsNeeded(_context))
        {
            // Served from its first request on the event loop. A TLS or PROXY handshake (the
            // certificate's signature included) runs on the pool instead, off the loop.
            loop.Post(handoff);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(handoff, preferLocal: false);
        }
    }

    /// <summary>Once a minute at most: a worker that keeps hitting its cap says so, without filling the log.</summary>
    private void WarnAtCapacity()
    {
        long now = Environment.TickCount64;
        if (_lastCapacityWarning == 0 || now - _lastCapacityWarning > 60_000)
        {
            _lastCapacityWarning = now;
            _log.Warning("{count} connections open, the --worker-connections limit: not accepting until one closes", _connections.Capacity);
        }
    }

    /// <summary>
    /// Starts a connection (on the event loop or the pool) and lets the accept thread take the next
    /// one. The connection leaves the registry and logs its own faults: nothing awaits it, which
    /// would keep a second state machine alive as long as the connection.
    /// </summary>
    private sealed class Handoff(AcceptLoop accept, HttpConnection connection) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            accept._handedOff.Set();
            _ = connection.RunAsync();
        }
    }
}
