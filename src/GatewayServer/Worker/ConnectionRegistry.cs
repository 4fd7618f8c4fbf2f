using System.Collections.Concurrent;
using GatewayServer.Gateway;

namespace GatewayServer.Worker;

/// <summary>The worker's open connections: swept for timeouts once a second, and drained on stop.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private TaskCompletionSource? _drained;

    public int Count => _connections.Count;

    /// <summary>Told the count whenever it changes, for the accept balancing between workers.</summary>
    public AcceptBalancer? Balancer { get; init; }

    public void Add(HttpConnection connection)
    {
        _connections.TryAdd(connection, 0);
        Balancer?.Publish(_connections.Count);
    }

    public void Remove(HttpConnection connection)
    {
        _connections.TryRemove(connection, out _);
        Balancer?.Publish(_connections.Count);
        if (_connections.IsEmpty)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>Enforces the connections' timeouts; returns the age in milliseconds of the oldest request in progress (0 when idle).</summary>
    public long CheckTimeouts(long now)
    {
        long oldest = 0;
        foreach (HttpConnection connection in _connections.Keys)
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
