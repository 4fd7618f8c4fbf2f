using GatewayServer.Http;

namespace GatewayServer.Engine;

/// <summary>
/// A connection's one timeout: what it is timing now (a <see cref="TimeoutReason"/>) and until when,
/// set and cleared by the connection's own flow, checked about once a second by the worker's sweep
/// on a thread of its own (<see cref="Check"/>), as Kestrel's TimeoutControl. Beside it, while a
/// request runs, it times the waits for the request body (the body minimum data rate, counting
/// only the time the server actually waits for the client, and the body read timeout).
/// <para>
/// The reason, the deadline and a sequence number share one word (<see cref="_state"/>), so the
/// sweep can never act on a phase that is over: it reads the word, judges it, and claims the expiry
/// by compare-exchange against the word it read. A connection that moved on meanwhile (the head
/// came, the request ended, the next one began) changed the word, and the claim fails. Where the
/// sweep's claim would otherwise go unseen (the end of a wait or of a request), the connection
/// swaps the word with an interlocked exchange and learns whether the phase it ends expired first;
/// every expiry ends the connection, so it never serves another request under one. Starting a phase
/// from none is a volatile write: there was nothing the sweep could claim.
/// </para>
/// Times are <see cref="Environment.TickCount64"/> milliseconds, passed in so tests need no clock.
/// </summary>
internal sealed class TimeoutControl
{
    private const int ReasonBits = 3;
    private const long ReasonMask = (1L << ReasonBits) - 1;

    /// <summary>Set once the timed phase expired; the phase's reason stays beside it.</summary>
    private const long FiredBit = 1L << ReasonBits;
    private const int SequenceShift = ReasonBits + 1;
    private const int SequenceBits = 20;
    private const int DeadlineShift = SequenceShift + SequenceBits;

    /// <summary>Deadlines are kept as milliseconds after accept in the word's top 39 bits (17 years): this one is never.</summary>
    private const long NoDeadline = (1L << (63 - DeadlineShift)) - 1;

    private readonly long _origin;
    private readonly long _headerTimeout;
    private readonly long _keepAliveTimeout;
    private readonly long _requestTimeout;
    private readonly long _bodyReadTimeout;
    private readonly double _minBodyDataRate;
    private readonly long _minBodyDataRateGrace;

    private long _state;
    private int _sequence;
    private long _headStartedAt = -1;
    private long _requestStartedAt;
    private long _sentBefore;
    private long _readingSince = -1;
    private long _readWaited;
    private long _readReceived;
    private CancellationTokenSource? _source;
    private int _expired;
    private int _aborted;

    /// <param name="acceptedAt">When the connection was accepted: the first request's head is due <paramref name="headerTimeout"/> after it.</param>
    /// <param name="headerTimeout">How long a head may take from its first byte (<c>header-timeout</c>).</param>
    /// <param name="keepAliveTimeout">How long a connection may idle between requests (<c>keep-alive</c>).</param>
    /// <param name="requestTimeout">How long the app may run a request before it is answered 504 (<c>request-timeout</c>; zero: forever).</param>
    /// <param name="limits">The body read timeout and minimum data rate.</param>
    public TimeoutControl(long acceptedAt, TimeSpan headerTimeout, TimeSpan keepAliveTimeout, TimeSpan requestTimeout, HttpLimits limits)
    {
        _origin = acceptedAt;
        _headerTimeout = (long)headerTimeout.TotalMilliseconds;
        _keepAliveTimeout = (long)keepAliveTimeout.TotalMilliseconds;
        _requestTimeout = (long)requestTimeout.TotalMilliseconds;
        _bodyReadTimeout = (long)limits.BodyReadTimeout.TotalMilliseconds;
        _minBodyDataRate = limits.MinBodyDataRate;
        _minBodyDataRateGrace = (long)limits.MinBodyDataRateGrace.TotalMilliseconds;
        _state = Pack(TimeoutReason.None, NoDeadline, 0);
    }

    /// <summary>What a wait ended by <see cref="Token"/> expired of (<see cref="TimeoutReason.RequestHead"/> or <see cref="TimeoutReason.BodyRead"/>); None while none has. Stays set: the connection closes.</summary>
    public TimeoutReason Expired => (TimeoutReason)Volatile.Read(ref _expired);

    /// <summary>Whether the worker gave the connection up (<see cref="Abort"/>).</summary>
    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>When the request in progress started, or 0 between requests.</summary>
    public long RequestStartedAt => Volatile.Read(ref _requestStartedAt);

    /// <summary>
    /// For the waits that take a token (the handshake, the rest of a head, the body): cancelled when
    /// one expires or the worker aborts the connection. An idle wait takes none: a token source, and
    /// the registration a pending receive makes on it, would stay alive for every idle keep-alive
    /// connection. Made on first use, and never disposed: it has no timer, and the sweep may still
    /// touch it while the connection closes.
    /// </summary>
    public CancellationToken Token
    {
        get
        {
            if (_source is { } made)
            {
                return made.Token;
            }

            var source = new CancellationTokenSource();
            // A full fence, as in ExpireToken and Abort: of the two racing threads, at least one sees the other's write.
            Interlocked.Exchange(ref _source, source);
            if (Expired != TimeoutReason.None || IsAborted)
            {
                source.Cancel();
            }

            return source.Token;
        }
    }

    /// <summary>Times the TLS/PROXY handshake, against the first head's deadline (take <see cref="Token"/> first).</summary>
    public void StartHandshake() => Volatile.Write(ref _state, Next(TimeoutReason.RequestHead, _origin + _headerTimeout));

    /// <summary>
    /// Begins reading a request head. The first request's head is due <c>header-timeout</c> after
    /// accept; a later one <c>header-timeout</c> after its first byte, however slowly the rest trickles
    /// (slowloris), while an idle wait before that byte lasts <c>keep-alive</c>.
    /// </summary>
    public void BeginHead(bool first) => _headStartedAt = first ? _origin : -1;

    /// <summary>
    /// Times an idle wait, nothing of a head received (<see cref="TimeoutReason.KeepAlive"/>). Returns
    /// false when the worker aborted the connection before it got here: the wait must not begin,
    /// since nothing would end it.
    /// </summary>
    public bool StartIdleWait(long now)
    {
        long due = _headStartedAt >= 0 ? _headStartedAt + _headerTimeout : now + _keepAliveTimeout;
        // A full fence, as in Abort: of two racing threads, at least one sees the other's write.
        Interlocked.Exchange(ref _state, Next(TimeoutReason.KeepAlive, due));
        return !IsAborted;
    }

    /// <summary>Times a wait for the rest of a head (take <see cref="Token"/> first); its deadline was fixed by its first byte.</summary>
    public void StartHeadWait(long now)
    {
        if (_headStartedAt < 0)
        {
            _headStartedAt = now;
        }

        Volatile.Write(ref _state, Next(TimeoutReason.RequestHead, _headStartedAt + _headerTimeout));
    }

    /// <summary>
    /// A wait is over: bytes came, or the peer closed. Returns the reason it expired for, when the
    /// sweep claimed it first (the connection then ends as that expiry ends it), else None.
    /// </summary>
    public TimeoutReason StopWait()
    {
        long ended = Interlocked.Exchange(ref _state, Next(TimeoutReason.None, long.MaxValue));
        if ((ended & FiredBit) == 0)
        {
            return TimeoutReason.None;
        }

        TimeoutReason reason = ReasonOf(ended);
        if (reason == TimeoutReason.RequestHead)
        {
            // The sweep records it too, maybe not yet: the connection's 408 must not depend on which is first.
            Interlocked.CompareExchange(ref _expired, (int)reason, 0);
        }

        return reason;
    }

    /// <summary>A request starts, after <paramref name="sentBefore"/> bytes of earlier responses; its body is timed from nothing.</summary>
    public void BeginRequest(long now, long sentBefore)
    {
        _readWaited = 0;
        _readReceived = 0;
        Volatile.Write(ref _readingSince, -1);
        Volatile.Write(ref _sentBefore, sentBefore);
        Volatile.Write(ref _requestStartedAt, now);
        Volatile.Write(ref _state, Next(TimeoutReason.Request, _requestTimeout > 0 ? now + _requestTimeout : long.MaxValue));
    }

    /// <summary>
    /// The request is over (or became an upgraded connection). Returns false when one of its
    /// timeouts expired first: the connection must not carry another request.
    /// </summary>
    public bool EndRequest()
    {
        Volatile.Write(ref _requestStartedAt, 0);
        return (Interlocked.Exchange(ref _state, Next(TimeoutReason.None, long.MaxValue)) & FiredBit) == 0;
    }

    /// <summary>A read of the body starts waiting for the client.</summary>
    public void StartReading(long now) => Volatile.Write(ref _readingSince, now);

    /// <summary>The read stopped waiting, having received <paramref name="received"/> bytes.</summary>
    public void StopReading(long now, int received)
    {
        long since = Volatile.Read(ref _readingSince);
        if (since >= 0)
        {
            _readWaited += now - since;
        }

        _readReceived += received;
        Volatile.Write(ref _readingSince, -1);
    }

    /// <summary>Called by the sweep: claims the expiry of what is timed now, if it is due. The caller acts on what it returns.</summary>
    public TimeoutExpiry Check(long now)
    {
        TimeoutExpiry due = FindDue(now);
        return due.Reason != TimeoutReason.None && TryClaim(due) ? due : default;
    }

    /// <summary>
    /// The worker gives up on the connection: ends a wait with a token now, and the next idle wait
    /// before it begins. Returns true when an idle wait is timed, which takes no token: the caller
    /// ends it by shutting the socket's receive side.
    /// </summary>
    public bool Abort()
    {
        Interlocked.Exchange(ref _aborted, 1);
        if (ReasonOf(Volatile.Read(ref _state)) == TimeoutReason.KeepAlive)
        {
            return true;
        }

        // A wait begun after this look is ended by the next sweep (past its deadline) or refused by StartIdleWait.
        Volatile.Read(ref _source)?.Cancel();
        return false;
    }

    /// <summary>The sweep's first half: what is due at <paramref name="now"/>, judged on one reading of the state.</summary>
    internal TimeoutExpiry FindDue(long now)
    {
        long state = Volatile.Read(ref _state);
        TimeoutReason reason = ReasonOf(state);
        if (reason == TimeoutReason.None)
        {
            return default;
        }

        // Read before the claim: if it succeeds, the request they describe was still in progress.
        long startedAt = Volatile.Read(ref _requestStartedAt);
        long sentBefore = Volatile.Read(ref _sentBefore);
        long deadline = DeadlineOf(state);
        if (deadline != NoDeadline && now - _origin > deadline)
        {
            return new TimeoutExpiry(reason, state, startedAt, sentBefore);
        }

        if ((reason is TimeoutReason.Request or TimeoutReason.RequestAbandoned) && Expired == TimeoutReason.None && IsBodyTooSlow(now))
        {
            return new TimeoutExpiry(TimeoutReason.BodyRead, state, startedAt, sentBefore);
        }

        return default;
    }

    /// <summary>
    /// The sweep's second half: claims <paramref name="due"/> if the state is still the one it was
    /// judged on, and ends a wait with a token. Returns false when the connection moved on first.
    /// </summary>
    internal bool TryClaim(in TimeoutExpiry due)
    {
        long state = due.State;
        long claimed = due.Reason switch
        {
            // Still timed after the 504: at twice the timeout the app is taken to have abandoned the thread.
            TimeoutReason.Request => Pack(TimeoutReason.RequestAbandoned, DeadlineOf(state) + _requestTimeout, SequenceOf(state)) | FiredBit,
            // The request stays timed after a body expired; the body is not judged again (Expired is set).
            TimeoutReason.BodyRead => state | FiredBit,
            _ => Pack(ReasonOf(state), NoDeadline, SequenceOf(state)) | FiredBit,
        };

        if (Interlocked.CompareExchange(ref _state, claimed, state) != state)
        {
            return false;
        }

        if (due.Reason is TimeoutReason.RequestHead or TimeoutReason.BodyRead)
        {
            Interlocked.CompareExchange(ref _expired, (int)due.Reason, 0);
            Volatile.Read(ref _source)?.Cancel();
        }

        return true;
    }

    private bool IsBodyTooSlow(long now)
    {
        long since = Volatile.Read(ref _readingSince);
        if (since < 0)
        {
            // Nobody waits for the client: an app that is slow to read is not the client's fault.
            return false;
        }

        long current = now - since;
        long total = _readWaited + current;
        bool tooIdle = _bodyReadTimeout > 0 && current > _bodyReadTimeout;
        bool tooSlow = _minBodyDataRate > 0 && total > _minBodyDataRateGrace && _readReceived < _minBodyDataRate * total / 1000;
        return tooIdle || tooSlow;
    }

    /// <summary>The state for a new phase: a sequence number of its own, so no claim on the last one can match it.</summary>
    private long Next(TimeoutReason reason, long deadline)
    {
        long offset = deadline - _origin >= NoDeadline ? NoDeadline : Math.Max(deadline - _origin, 0);
        return Pack(reason, offset, ++_sequence);
    }

    private static long Pack(TimeoutReason reason, long offset, int sequence) =>
        (Math.Min(offset, NoDeadline) << DeadlineShift) | ((long)(sequence & ((1 << SequenceBits) - 1)) << SequenceShift) | (long)reason;

    private static TimeoutReason ReasonOf(long state) => (TimeoutReason)(state & ReasonMask);

    private static int SequenceOf(long state) => (int)(state >> SequenceShift) & ((1 << SequenceBits) - 1);

    private static long DeadlineOf(long state) => state >> DeadlineShift;
}
