using System.Net.Sockets;
using GatewayServer.Http;
using GatewayServer.Http.Response;

namespace GatewayServer.Engine;

/// <summary>
/// What the worker's sweep and its graceful timeout do to a connection, from their own threads:
/// the connection's <see cref="TimeoutControl"/> says which timeout expired, and the connection acts
/// on it. The send deadline stays in <see cref="Transport.ConnectionOutput"/>: it times the sends
/// themselves, down in the transport, which must not know the engine's timeouts.
/// </summary>
internal sealed partial class HttpConnection
{
    /// <summary>When the request in progress started (<see cref="Environment.TickCount64"/>), or 0 between requests.</summary>
    public long RequestStartedAt => _timeouts.RequestStartedAt;

    /// <summary>Called about once a second by the worker: enforces the head, keep-alive, body, request and send timeouts.</summary>
    public void CheckTimeout(long now)
    {
        if (_phase == ConnectionPhase.Processing)
        {
            CancelIfClientLeft();
        }

        // The control itself cancels the token of a head, handshake or body wait that expired.
        TimeoutExpiry expired = _timeouts.Check(now);
        switch (expired.Reason)
        {
            case TimeoutReason.KeepAlive:
                ShutReceive();
                break;
            case TimeoutReason.Request:
                AnswerTimedOut(now, expired);
                break;
            case TimeoutReason.RequestAbandoned:
                _context.RequestAbandoned?.Invoke();
                break;
        }

        if (Output.IsSendOverdue(now))
        {
            // The client does not take its responses: nothing else would ever end the wait (the
            // abort fails the send, which stops its deadline, so this fires once).
            _context.Log.ResponseNotRead(RemoteEndPoint?.ToString() ?? "-");
            Abort();
        }
    }

    /// <summary>Gives up on the request in progress (the worker's graceful timeout ran out).</summary>
    public void Abort()
    {
        try
        {
            _aborted?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection closed meanwhile.
        }

        if (_timeouts.Abort())
        {
            ShutReceive();
        }

        _socket.Close();
        _input.AbortWait();
        AbortUpgraded();
    }

    /// <summary>
    /// Ends an idle wait, which takes no token: the connection reads end of stream and closes without
    /// a word, and its send side stays open for the FIN (and TLS close_notify).
    /// </summary>
    private void ShutReceive()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The connection is closing already.
        }
    }

    /// <summary>
    /// The request timed out: answers 504 if nothing of the response went out yet (taking the
    /// connection's output over, so the two never interleave on the wire) and cancels the request's
    /// abort token. Runs on the sweep's thread while the connection's runs the app.
    /// </summary>
    private void AnswerTimedOut(long now, in TimeoutExpiry expired)
    {
        try
        {
            Span<byte> response = stackalloc byte[ErrorResponseWriter.MaxLength + 256];
            int length = ErrorResponseWriter.Write(response, 504, _context.ServerHeaderLine, _context.Date.Line);
            bool answered = Output.TryTakeOver(expired.SentBefore, response[..length]);
            _context.Log.RequestTimedOut(KnownMethods.GetString(_head[_head.Method]), HttpRequestParser.DecodeLatin1(_head[_head.Target]), TimeSpan.FromMilliseconds(now - expired.RequestStartedAt), answered);
            _ = _aborted?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The request finished and the connection closed while we looked.
        }
    }

    /// <summary>
    /// Cancels <see cref="RequestAborted"/> when the client closed its side while the app holds the
    /// token and has read the whole body (so nothing else reads the socket): a readable socket with
    /// nothing to read is an end of stream. Long polls and server-sent events learn of it this way.
    /// </summary>
    private void CancelIfClientLeft()
    {
        if (_aborted is not { IsCancellationRequested: false } aborted || !_body.IsComplete || _input.BufferedLength > 0)
        {
            return;
        }

        try
        {
            if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0)
            {
                aborted.Cancel();
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // Closed meanwhile: nothing left to tell.
        }
    }
}
