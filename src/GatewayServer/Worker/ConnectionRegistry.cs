using System.Collections.Concurrent;
using GatewayServer.Engine;

namespace GatewayServer.Worker;

/// <summary>
/// The worker's open connections: swept for timeouts once a second, and drained on stop. Holds at
/// most <see cref="Capacity"/> (<c>--worker-connections</c>): the accept threads take a place
/// (<see cref="TryReserve"/>) before each accept, and wait while there is none.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private readonly ManualResetEventSlim _room = new(initialState: true);
    private TaskCompletionSource? _drained;

    /// <summary>Connections open, plus places taken by accept threads for the next ones.</summary>
    private int _places;

    public int Count => _connections.Count;

    /// <summary>The most connections the worker holds at once.</summary>
    public int Capacity { get; init; } = int.MaxValue;

    /// <summary>Told the count whenever it changes, for the accept balancing between workers.</summary>
    public AcceptBalancer? Balancer { get; init; }

    /// <summary>
    /// Takes a place for the connection about to be accepted; while the worker is at its capacity,
    /// waits up to <paramref name="wait"/> for one to close. False when none came free: accept
    /// nothing meanwhile. A place taken is given back by <see cref="Remove"/> once its connection
    /// was added, or by <see cref="ReturnPlace"/> when none was accepted.
    /// </summary>
    public bool TryReserve(TimeSpan wait)
    {
        while (true)
        {
            int places = Volatile.Read(ref _places);
            if (places < Capacity)
            {
                if (Interlocked.CompareExchange(ref _places, places + 1, places) == places)
                {
                    return true;
                }

                continue;
            }

            // Reset, then look again: a place freed between the two looks is seen by the second.
            _room.Reset();
            if (Volatile.Read(ref _places) < Capacity)
            {
                continue;
            }

            if (!_room.Wait(wait))
            {
                return false;
            }
        }
    }

    /// <summary>Gives back a place taken by <see cref="TryReserve"/> when nothing was accepted.</summary>
    public void ReturnPlace()
    {
        if (Interlocked.Decrement(ref _places) < Capacity)
        {
            _room.Set();
        }
    }

    /// <summary>Registers a connection accepted in a place taken by <see cref="TryReserve"/>.</summary>
    public void Add(HttpConnection connection)
    {
        _connections.TryAdd(connection, 0);
        Balancer?.Publish(_connections.Count);
    }

    public void Remove(HttpConnection connection)
    {
        if (!_connections.TryRemove(connection, out _))
        {
            return;
        }

        Balancer?.Publish(_connections.Count);
        ReturnPlace();
        if (_connections.IsEmpty)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>Enforces the connections' timeouts; returns the age in milliseconds of the oldest request in progress (0 when idle).</summary>
    public long CheckTimeouts(long now)
    {
        long oldest = 0;
        // Enumerated in place: Keys would copy every connection once a second.
        foreach ((HttpConnection connection, _) in _connections)
        {
            connection.CheckTimeout(now);
            long started = connection.RequestStartedAt;
            if (started != 0)
            {
                oldest = Math.Max(oldest, now - started);
            }
        }

        return oldest;
    }

    /// <summary>
    /// Completes when every connection has closed: each closes after its next response, which says
    /// <c>Connection: close</c>, or at its keep-alive timeout if no request comes (never earlier, so no
    /// request on its way is met by a close).
    /// </summary>
    public Task DrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (_connections.IsEmpty)
        {
            drained.TrySetResult();
        }

        return drained.Task;
    }

    public void AbortAll()
    {
        foreach (HttpConnection connection in _connections.Keys)
        {
            connection.Abort();
        }
    }
}
