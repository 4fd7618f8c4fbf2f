namespace GatewayServer.Engine;

/// <summary>
/// When the wait for one request head ends. An idle keep-alive connection waits
/// <c>keep-alive</c>; once a head has begun, the whole head must arrive within
/// <c>header-timeout</c> of its first byte, however slowly it trickles (slowloris): the deadline
/// is fixed then and never moves with later reads. The first request's clock starts at accept.
/// </summary>
internal struct HeadDeadline
{
    private long _headStartedAt;

    /// <param name="headStartedAt">The accept time for a connection's first request, else -1.</param>
    public HeadDeadline(long headStartedAt)
    {
        _headStartedAt = headStartedAt;
    }

    /// <summary>The deadline for the next read, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Next(long now, bool partial, TimeSpan headerTimeout, TimeSpan keepAlive)
    {
        if (partial && _headStartedAt < 0)
        {
            _headStartedAt = now;
        }

        return _headStartedAt >= 0
            ? _headStartedAt + (long)headerTimeout.TotalMilliseconds
            : now + (long)keepAlive.TotalMilliseconds;
    }
}
