using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using GatewayServer.Http;
using GatewayServer.Http.Response;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// One HTTP/1.1 connection from accept to close: read a head, run the application, frame its
/// response, and go round again while the connection persists. Pipelined requests already in the
/// buffer are parsed without another read, and their responses leave together: output is flushed
/// only before the connection would wait for more bytes. All buffers and per-request objects are
/// created once per connection and reused, so a request allocates nothing of its own.
/// </summary>
internal sealed partial class HttpConnection
{
    /// <summary>What an application may leave unread and still have the connection reused.</summary>
    private const long MaxDrainBytes = 64 * 1024;

    /// <summary>How many pipelined requests a connection serves before the others get a turn.</summary>
    private const int RequestsPerTurn = 32;

    private readonly Socket _socket;
    private readonly EngineContext _context;
    private readonly ConnectionInput _input;
    private readonly HttpRequestParser _parser;
    private readonly RequestHead _head = new();
    private readonly HttpResponse _response;
    private readonly RequestBodyReader _body;
    private readonly RequestTrace? _trace;
    private readonly long _connectedAt = Environment.TickCount64;
    private long _requestStartedAt;
    private CancellationTokenSource? _aborted;
    private SslStream? _tls;
    private IExchangeHandler? _handler;
    private HeadTimeout _headTimeout;
    private RequestTimeout _requestTimeout;
    private long _served;
    private int _servedInTurn;
    private int _errorStatus;
    private volatile ConnectionPhase _phase = ConnectionPhase.WaitingForHead;

    public HttpConnection(Socket socket, EngineContext context)
    {
        _socket = socket;
        _context = context;
        _input = new ConnectionInput(socket, context.Loop);
        Output = new ConnectionOutput(socket, context.Limits.MinResponseDataRate, context.Limits.MinResponseDataRateGrace);
        _parser = new HttpRequestParser(context.Limits);
        _trace = RequestTrace.Create(context);
        _response = new HttpResponse(Output, context) { Trace = _trace };
        _body = new RequestBodyReader(_input, this, context.Limits);
    }

    private enum ConnectionPhase
    {
        WaitingForHead,
        Processing,
        Upgraded,
        Closing,
    }

    /// <summary>What <see cref="ReadHeadAsync"/> ended with.</summary>
    private enum HeadRead
    {
        Parsed,
        Idle,
        Closed,
    }

    public ConnectionOutput Output { get; }

    public RequestHead Head => _head;

    /// <summary>What app models see of this connection: made once, on the first request that needs it.</summary>
    public HttpExchange Exchange => field ??= new HttpExchange(this, _body, _response, _context);

    /// <summary>The request id and access-log bookkeeping; null when both are off.</summary>
    public RequestTrace? Trace => _trace;

    /// <summary>The client: the socket's peer, or the one a PROXY protocol header named (set by <see cref="ConnectionHandshake"/>).</summary>
    public EndPoint? RemoteEndPoint
    {
        get => field ??= _socket.RemoteEndPoint;
        set;
    }

    /// <summary>Whether the connection came through a Unix socket, whose peers are always trusted.</summary>
    public bool IsUnixSocket => _socket.AddressFamily == AddressFamily.Unix;

    /// <summary>Whether the connection speaks TLS.</summary>
    public bool IsTls => _tls is not null;

    /// <summary>The certificate the client presented during the TLS handshake, if any.</summary>
    public X509Certificate2? ClientCertificate => _tls?.RemoteCertificate as X509Certificate2;

    public EndPoint? LocalEndPoint => field ??= _socket.LocalEndPoint;

    /// <summary>Cancelled when the client goes away or the worker gives up on in-flight requests.</summary>
    public CancellationToken RequestAborted => (_aborted ??= new CancellationTokenSource()).Token;

    /// <summary>
    /// Whether the connection may persist after the current response: not when the client is
    /// still waiting for a 100 Continue that will never come, so its body may or may not follow.
    /// </summary>
    public bool MayKeepAlive => _body.IsComplete || _body.Started || !_head.ExpectContinue;

    /// <summary>Whether the rest of the request body has arrived, so reading it never waits for the client.</summary>
    public bool BodyBuffered => _body.IsBuffered;

    /// <summary>How many requests the connection has begun: tells one request from the next on the reused <see cref="HttpExchange"/>.</summary>
    public long RequestCount => _served;

    /// <summary>When the request in progress started (<see cref="Environment.TickCount64"/>), or 0 between requests.</summary>
    public long RequestStartedAt => _requestTimeout.StartedAt;

    /// <summary>Called about once a second by the worker: enforces the head, keep-alive, body and request timeouts.</summary>
    public void CheckTimeout(long now)
    {
        if (_phase == ConnectionPhase.WaitingForHead)
        {
            _headTimeout.Check(now, _socket);
        }
        else if (_phase == ConnectionPhase.Processing)
        {
            _body.CheckTimeout(now);
            CancelIfClientLeft();
        }

        _requestTimeout.Check(now, _context, Output, _head, _aborted);
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

        _headTimeout.Expire(_socket);
        _socket.Close();
        _input.AbortWait();
        AbortUpgraded();
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

    private bool HasUnreadBytes()
    {
        try
        {
            return _socket.Available > 0;
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Serves the connection until it closes, then calls <see cref="EngineContext.ConnectionClosed"/>.
    /// A fault of its own is logged rather than thrown, so the caller need not await it.
    /// </summary>
    public async Task RunAsync()
    {
        bool linger = false;
        _context.Metrics?.ConnectionOpened();
        try
        {
            try
            {
                if (ConnectionHandshake.IsNeeded(_context))
                {
                    // Counted against the first request's head timeout, whose clock starts at accept.
                    CancellationToken cancellation = _headTimeout.Token;
                    _headTimeout.Start(_connectedAt + (long)_context.HeaderTimeout.TotalMilliseconds);
                    try
                    {
                        if (!await ConnectionHandshake.RunAsync(this, _socket, _context, cancellation).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                    finally
                    {
                        _headTimeout.Stop();
                    }
                }

                bool woken = false;
                while (true)
                {
                    HeadRead read = await ReadHeadAsync(woken).ConfigureAwait(false);
                    woken = read == HeadRead.Idle;
                    if (woken)
                    {
                        // Awaited here rather than in ReadHeadAsync: an idle connection keeps one state machine alive, not two.
                        await _input.WaitForDataAsync(CancellationToken.None).ConfigureAwait(false);
                        continue;
                    }

                    if (read == HeadRead.Closed)
                    {
                        break;
                    }

                    _phase = ConnectionPhase.Processing;
                    _served++;
                    _requestTimeout.Begin(Environment.TickCount64, Output.BytesSent + Output.BufferedLength);
                    if (Interlocked.Increment(ref _context.RequestCount) == _context.RequestLimit)
                    {
                        _context.RequestLimitReached?.Invoke();
                    }

                    // Measured here rather than in a wrapper: a second async method would be a second state
                    // machine per request. The same timestamps serve the metrics and the access log; on
                    // the event loop the start is its last clock read (LoopClock), so a request reads the clock once.
                    bool timed = _context.Metrics is not null || _trace is not null;
                    long startedAt = timed ? LoopClock.StartOfRequest(_context.Time) : 0;
                    long endedAt = 0;
                    _requestStartedAt = startedAt;
                    _context.Metrics?.RequestStarted();
                    int status = 0;
                    bool persists;
                    try
                    {
                        _errorStatus = 0;
                        persists = await ProcessRequestAsync().ConfigureAwait(false);
                        status = _response.HeadWritten ? _response.StatusCode : _errorStatus;
                    }
                    finally
                    {
                        endedAt = timed ? _context.Time.GetTimestamp() : 0;
                        LoopClock.RequestEnded(endedAt);
                        _context.Metrics?.RequestEnded(_head[_head.Method], status, endedAt - startedAt);
                    }

                    _requestTimeout.End();
                    _trace?.End(_head, RemoteEndPoint, _response, endedAt);
                    if (_upgraded is { } upgraded)
                    {
                        await RunUpgradedAsync(upgraded).ConfigureAwait(false);
                        break;
                    }

                    if (!persists)
                    {
                        // A clean close needs no linger; only bytes left unread (buffered, or still in
                        // the kernel: a request pipelined after this one) could turn it into a reset.
                        linger = !_body.IsComplete || _input.BufferedLength > 0 || HasUnreadBytes();
                        break;
                    }

                    _phase = ConnectionPhase.WaitingForHead;
                }
            }
            catch (BadHttpRequestException error)
            {
                linger = true;
                await SendErrorAsync(error.StatusCode, error.Message).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_headTimeout.Expired)
            {
                if (_parser.HasPartialHead || _input.BufferedLength > 0)
                {
                    linger = true;
                    await SendErrorAsync(408, RequestRejection.Describe(RequestRejectionReason.RequestHeadTimeout)).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away or the worker aborted the connection: nothing left to answer.
            }
            finally
            {
                _phase = ConnectionPhase.Closing;
                try
                {
                    await ConnectionTeardown.CloseAsync(_socket, _tls, _input, Output, linger).ConfigureAwait(false);
                }
                finally
                {
                    _aborted?.Cancel();
                    _aborted?.Dispose();
                    // A read the app left waiting on the event loop would never end otherwise.
                    _input.AbortWait();
                }
            }
        }
        catch (Exception error)
        {
            // A fault of the server's own, not the client's: logged, and the worker serves on.
            _context.Log.ConnectionFailed(error);
        }
        finally
        {
            _context.Metrics?.ConnectionClosed(_input.BytesReceived, Output.BytesSent);
            if (_upgraded is not null)
            {
                _context.Metrics?.UpgradedConnectionClosed();
            }

            _context.ConnectionClosed?.Invoke(this);
        }
    }

    /// <summary>Reads and writes go through <paramref name="tls"/> from the TLS handshake on.</summary>
    public void UseTls(SslStream tls)
    {
        _tls = tls;
        _input.UseStream(tls);
        Output.UseStream(tls);
    }

    /// <summary>Sends 100 Continue when the client asked for it and the app starts reading the body.</summary>
    public ValueTask SendContinueAsync() => _response.SendContinueAsync(RequestAborted);

    /// <summary>The blocking form of <see cref="SendContinueAsync"/>, for synchronous applications.</summary>
    public void SendContinue() => _response.SendContinue();

    /// <summary>
    /// Reads the next request head. When nothing of one has arrived it returns
    /// <see cref="HeadRead.Idle"/> instead of waiting, holding no buffers: the caller waits for
    /// bytes and calls again with <paramref name="woken"/> set, to receive them.
    /// </summary>
    private async ValueTask<HeadRead> ReadHeadAsync(bool woken)
    {
        var deadline = new HeadDeadline(_served == 0 ? _connectedAt : -1);
        while (true)
        {
            // After an idle wait, the head timeout ends a stuck receive by shutting the socket, not by a token.
            CancellationToken cancellation = CancellationToken.None;
            if (!woken)
            {
                if (Output.IsBatchFull)
                {
                    // Backpressure: the responses waiting go out before another pipelined request is parsed.
                    await Output.FlushAsync().ConfigureAwait(false);
                }

                if (_input.BufferedLength > 0 && _parser.TryParseHead(_input.Buffered, _head, out int consumed))
                {
                    _input.Consume(consumed);
                    if (++_servedInTurn == RequestsPerTurn)
                    {
                        // A long pipeline is served in turns with the worker's other connections.
                        _servedInTurn = 0;
                        await _input.YieldAsync();
                    }

                    return HeadRead.Parsed;
                }

                // The batch of pipelined responses ends here: nothing is held back while we wait.
                await Output.FlushAsync().ConfigureAwait(false);
                bool partial = _parser.HasPartialHead || _input.BufferedLength > 0;
                // A stopping worker waits here as any other (docs/signals.md, "Retiring a worker"): the
                // next request is answered with Connection: close; only the keep-alive timeout ends an idle
                // wait, which any client of keep-alive must expect. Closing now would race a request on its way.
                long due = deadline.Next(Environment.TickCount64, partial, _context.HeaderTimeout, _context.KeepAliveTimeout);
                _servedInTurn = 0;
                if (!partial)
                {
                    // Between requests: hold no buffers while waiting (idle connections cost little).
                    _head.Release();
                    Output.Release();
                    return _headTimeout.StartIdle(due) ? HeadRead.Idle : HeadRead.Closed;
                }

                cancellation = _headTimeout.Token;
                _headTimeout.Start(due);
            }

            woken = false;
            int received = await _input.FillAsync((int)Math.Min(_context.Limits.MaxHeadSize, int.MaxValue), cancellation).ConfigureAwait(false);
            _headTimeout.Stop();
            if (received == 0)
            {
                return HeadRead.Closed;
            }
        }
    }

    /// <summary>Serves one request; returns whether the connection may carry another.</summary>
    private async ValueTask<bool> ProcessRequestAsync()
    {
        _body.Reset(_head);
        _response.Reset(_head);
        _trace?.Begin(_head, _requestStartedAt);

        try
        {
            // The one seam between the engine and the app models: a handler per connection, made on its first request.
            await (_handler ??= _context.Application.CreateHandler(Exchange)).ProcessAsync().ConfigureAwait(false);
        }
        catch (BadHttpRequestException error)
        {
            // A malformed body found while the app read it: the framing is lost, so answer and close.
            if (!_response.HeadWritten)
            {
                await SendErrorAsync(error.StatusCode, error.Message).ConfigureAwait(false);
            }

            return false;
        }
        catch (Exception error) when (error is not OperationCanceledException || !RequestAborted.IsCancellationRequested)
        {
            if (error is ResponseFramingException)
            {
                _context.Log.AppResponseError(error.Message);
            }
            else
            {
                _context.Metrics?.AppFailed();
                _context.Log.AppError(KnownMethods.GetString(_head[_head.Method]), HttpRequestParser.DecodeLatin1(_head[_head.Target]), error);
            }

            if (!_response.HeadWritten)
            {
                await SendErrorAsync(500, null).ConfigureAwait(false);
            }

            // An app that failed after switching protocols does not get to keep the connection.
            AbortUpgraded();
            return false;
        }

        if (!_response.KeepAlive)
        {
            return false;
        }

        try
        {
            return _body.IsComplete || await _body.DrainAsync(MaxDrainBytes, RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException error)
        {
            // The response is already out: a second one would answer a request nobody sent.
            _context.Log.BadRequest(RemoteEndPoint?.ToString() ?? "-", error.StatusCode, error.Message);
            return false;
        }
    }

    private async ValueTask SendErrorAsync(int status, string? reason)
    {
        _trace?.Failed(status);
        _errorStatus = status;
        _context.Metrics?.ErrorAnswered(status);
        if (reason is not null && status != 408)
        {
            _context.Log.BadRequest(RemoteEndPoint?.ToString() ?? "-", status, reason);
        }

        try
        {
            Span<byte> span = Output.GetSpan(ErrorResponseWriter.MaxLength + _context.ServerHeaderLine.Length);
            Output.Advance(ErrorResponseWriter.Write(span, status, _context.ServerHeaderLine, _context.Date.Line));
            await Output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
            // The client is already gone.
        }
    }
}
