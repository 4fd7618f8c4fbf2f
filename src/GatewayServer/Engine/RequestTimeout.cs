using GatewayServer.Http;
using GatewayServer.Http.Response;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// A connection's clock for <c>--request-timeout</c>. Past the timeout, once per request, the
/// worker's sweep answers 504 if nothing of the response went out yet (taking the connection's
/// output over, so the two never interleave on the wire) and cancels <c>gateway.request_aborted</c>;
/// at twice the timeout it tells the worker the app will not give the thread back (it recycles
/// itself). A struct inside the connection, so it adds no object to an idle connection: keep it a
/// mutable field and never copy it.
/// </summary>
internal struct RequestTimeout
{
    private long _startedAt;
    private long _sentBefore;
    private long _timedOut;
    private long _abandoned;

    /// <summary>When the request in progress started (<see cref="Environment.TickCount64"/>), or 0 between requests.</summary>
    public long StartedAt => Volatile.Read(ref _startedAt);

    /// <summary>A request starts, after <paramref name="sentBefore"/> bytes of earlier responses.</summary>
    public void Begin(long now, long sentBefore)
    {
        Volatile.Write(ref _sentBefore, sentBefore);
        Volatile.Write(ref _startedAt, now);
    }

    public void End() => Volatile.Write(ref _startedAt, 0);

    /// <summary>Called by the sweep, on its own thread, while the connection's thread runs the app.</summary>
    public void Check(long now, EngineContext context, ConnectionOutput output, RequestHead head, CancellationTokenSource? aborted)
    {
        long started = StartedAt;
        long limit = (long)context.RequestTimeout.TotalMilliseconds;
        if (limit <= 0 || started == 0 || now - started <= limit)
        {
            return;
        }

        long age = now - started;
        try
        {
            if (Interlocked.Exchange(ref _timedOut, started) != started)
            {
                Span<byte> response = stackalloc byte[ErrorResponseWriter.MaxLength + 256];
                int length = ErrorResponseWriter.Write(response, 504, context.ServerHeaderLine, context.Date.Line);
                bool answered = output.TryTakeOver(Volatile.Read(ref _sentBefore), response[..length]);
                context.Log.RequestTimedOut(KnownMethods.GetString(head[head.Method]), HttpRequestParser.DecodeLatin1(head[head.Target]), TimeSpan.FromMilliseconds(age), answered);
                _ = aborted?.CancelAsync();
            }
            else if (age > 2 * limit && Interlocked.Exchange(ref _abandoned, started) != started)
            {
                context.RequestAbandoned?.Invoke();
            }
        }
        catch (ObjectDisposedException)
        {
            // The request finished and the connection closed while we looked.
        }
    }
}
