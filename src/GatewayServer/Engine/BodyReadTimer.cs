using GatewayServer.Http;

namespace GatewayServer.Engine;

/// <summary>
/// Watches how fast a request body arrives, counting only the time the server actually waits for
/// it (an application that is slow to read is not the client's fault), as Kestrel's
/// MinRequestBodyDataRate does. The worker's once-a-second sweep calls <see cref="Check"/>; when a
/// read has waited longer than <see cref="HttpLimits.BodyReadTimeout"/>, or the body has arrived
/// below <see cref="HttpLimits.MinBodyDataRate"/> after the grace period, the timer expires and
/// cancels <see cref="Token"/>, so the read in progress ends and the request is answered with 408.
/// Times are <see cref="Environment.TickCount64"/> milliseconds, passed in so tests need no clock.
/// The token source is made on the first wait for body bytes (most connections never wait for one,
/// and an idle connection should not carry it), and never disposed: it has no timer, and the sweep
/// may still touch it while the connection closes.
/// </summary>
internal sealed class BodyReadTimer
{
    private readonly long _readTimeout;
    private readonly double _minRate;
    private readonly long _grace;
    private CancellationTokenSource? _expiry;
    private long _waitingSince = -1;
    private long _waited;
    private long _received;
    private volatile bool _expired;

    public BodyReadTimer(HttpLimits limits)
    {
        _readTimeout = (long)limits.BodyReadTimeout.TotalMilliseconds;
        _minRate = limits.MinBodyDataRate;
        _grace = (long)limits.MinBodyDataRateGrace.TotalMilliseconds;
    }

    /// <summary>Once set, stays set: the connection closes after the 408.</summary>
    public bool Expired => _expired;

    /// <summary>Cancelled when the timer expires; reads waiting for body bytes use it.</summary>
    public CancellationToken Token
    {
        get
        {
            if (_expiry is { } made)
            {
                return made.Token;
            }

            var expiry = new CancellationTokenSource();
            // A full fence, as in Check: of the two racing threads, at least one sees the other's write.
            Interlocked.Exchange(ref _expiry, expiry);
            if (_expired)
            {
                expiry.Cancel();
            }

            return expiry.Token;
        }
    }

    /// <summary>Starts the count over for the next request's body.</summary>
    public void Reset()
    {
        Volatile.Write(ref _waitingSince, -1);
        _waited = 0;
        _received = 0;
    }

    public void StartWaiting(long now) => Volatile.Write(ref _waitingSince, now);

    public void StopWaiting(long now, int received)
    {
        long since = Volatile.Read(ref _waitingSince);
        if (since >= 0)
        {
            _waited += now - since;
        }

        _received += received;
        Volatile.Write(ref _waitingSince, -1);
    }

    /// <summary>Called by the sweep; returns true when it has just expired the timer.</summary>
    public bool Check(long now)
    {
        long since = Volatile.Read(ref _waitingSince);
        if (since < 0 || _expired)
        {
            return false;
        }

        long current = now - since;
        long total = _waited + current;
        bool tooIdle = _readTimeout > 0 && current > _readTimeout;
        bool tooSlow = _minRate > 0 && total > _grace && _received < _minRate * total / 1000;
        if (!tooIdle && !tooSlow)
        {
            return false;
        }

        _expired = true;
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _expiry)?.Cancel();
        return true;
    }
}
