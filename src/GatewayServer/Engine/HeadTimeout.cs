using System.Net.Sockets;

namespace GatewayServer.Engine;

/// <summary>
/// Ends a connection's wait for a request head (and, before the first one, for its PROXY header
/// and TLS handshake) once the worker's sweep finds it past its deadline, or when the worker aborts
/// it (<c>--graceful-timeout</c> ran out). An idle wait, with nothing of a next request received, takes no
/// cancellation token: a token source, and the registration a pending receive makes on it, would
/// stay alive for every idle keep-alive connection. <see cref="Expire"/> ends such a wait by
/// shutting the socket's receive side instead; the connection reads end of stream and closes
/// without a word, as it did on the cancellation, and its send side stays open for the FIN (and
/// TLS close_notify). A wait that must be answered (part of a head has come: 408) or logged (PROXY
/// header, TLS handshake) takes <see cref="Token"/>, whose source is made the first time one is.
/// A struct inside the connection, so it adds no object to an idle connection: keep it a mutable
/// field and never copy it.
/// </summary>
internal struct HeadTimeout
{
    private CancellationTokenSource? _source;
    /// <summary>When the wait in progress expires (<see cref="Environment.TickCount64"/>); 0 while none is.</summary>
    private long _deadline;
    private int _idle;
    private int _expired;

    /// <summary>Set once a wait was ended by the sweep or the worker's abort; stays set, like the cancellation it stands for.</summary>
    public bool Expired => Volatile.Read(ref _expired) != 0;

    /// <summary>For a wait that needs a token: cancelled when the wait expires.</summary>
    public CancellationToken Token => (_source ??= new CancellationTokenSource()).Token;

    /// <summary>Times a wait that uses <see cref="Token"/> (take the token first, so the sweep finds its source).</summary>
    public void Start(long deadline)
    {
        Volatile.Write(ref _idle, 0);
        Volatile.Write(ref _deadline, deadline);
    }

    /// <summary>
    /// Times an idle wait, which takes no token. Returns false when the connection was expired
    /// before it got here (the worker aborted it): the wait must not begin, since nothing would end it.
    /// </summary>
    public bool StartIdle(long deadline)
    {
        Volatile.Write(ref _deadline, deadline);
        // A full fence, as in Expire: of two racing threads, at least one sees the other's write.
        Interlocked.Exchange(ref _idle, 1);
        return !Expired;
    }

    /// <summary>The wait is over: bytes came, or the peer closed.</summary>
    public void Stop()
    {
        Volatile.Write(ref _deadline, 0);
        Volatile.Write(ref _idle, 0);
    }

    /// <summary>Called by the sweep: expires the wait in progress once it is past its deadline.</summary>
    public void Check(long now, Socket socket)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline != 0 && now > deadline)
        {
            Expire(socket);
        }
    }

    /// <summary>Ends the wait in progress, or the next idle one before it begins.</summary>
    public void Expire(Socket socket)
    {
        Interlocked.Exchange(ref _expired, 1);
        if (Volatile.Read(ref _idle) == 0)
        {
            // Not waiting idle: cancel the token, if one was made. A wait begun after this look is
            // ended by the next sweep (past its deadline) or refused by StartIdle (the worker aborted it).
            Volatile.Read(ref _source)?.Cancel();
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The connection is closing already.
        }
    }
}
