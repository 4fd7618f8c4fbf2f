namespace GatewayServer.Transport;

/// <summary>
/// How long a send may wait for the client to take its bytes: a response must drain at no less
/// than a minimum rate, after a grace period, as Kestrel's MinResponseDataRate. A send that fits
/// the kernel's buffer never waits and is never timed; one that must wait gets
/// <c>max(grace, bytes / rate)</c> for the bytes it waits on, and the worker's sweep closes the
/// connection past that (a client that never reads would otherwise hold it, and its buffers,
/// forever). Waits are at most <see cref="Slice"/> bytes each, so a large body to a slow but
/// reading client gets a fresh deadline for every slice it takes, while a client that takes
/// nothing is let go within <c>max(grace, Slice / rate)</c>. A struct inside the connection's
/// output, so it adds no object to a connection: keep it a mutable field and never copy it.
/// </summary>
internal struct SendDeadline
{
    /// <summary>The most bytes one timed wait covers.</summary>
    public const int Slice = 16 * 1024;

    private readonly double _bytesPerMillisecond;
    private readonly long _grace;

    /// <summary>When the wait in progress is overdue (<see cref="Environment.TickCount64"/>); 0 while none is.</summary>
    private long _due;

    /// <param name="minBytesPerSecond">The slowest acceptable rate; 0 or less turns the deadline off.</param>
    /// <param name="grace">The least time any wait is given, whatever its size.</param>
    public SendDeadline(double minBytesPerSecond, TimeSpan grace)
    {
        _bytesPerMillisecond = minBytesPerSecond / 1000;
        _grace = (long)grace.TotalMilliseconds;
    }

    /// <summary>A send starts waiting on the client for <paramref name="bytes"/> (at most <see cref="Slice"/>).</summary>
    public void Start(long now, int bytes)
    {
        if (_bytesPerMillisecond > 0)
        {
            Volatile.Write(ref _due, now + Math.Max(_grace, (long)(bytes / _bytesPerMillisecond)));
        }
    }

    /// <summary>The wait is over: the client took the bytes, or the send failed.</summary>
    public void Stop() => Volatile.Write(ref _due, 0);

    /// <summary>Called by the sweep, on its own thread: whether a send has waited past its deadline.</summary>
    public bool IsPast(long now)
    {
        long due = Volatile.Read(ref _due);
        return due != 0 && now > due;
    }
}
