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
    private readonly TimeoutControl _timeouts;
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
        _timeouts = new TimeoutControl(_connectedAt, context.HeaderTimeout, context.KeepAliveTimeout, context.RequestTimeout, context.Limits);
        _body = new RequestBodyReader(_input, _response, _timeouts, context.Limits);
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
    public CancellationToken RequestAborted
    {
        get
        {
            if (_aborted is null)
            {
                _aborted = new CancellationTokenSource();
                // The body reads under it without a linked source of their own.
                _body.RequestAborted = _aborted.Token;
            }

            return _aborted.Token;
        }
    }

    /// <summary>
    /// Whether the connection may persist after the current response: not when the client is
    /// still waiting for a 100 Continue that will never come, so its body may or may not follow.
    /// </summary>
    public bool MayKeepAlive => _body.IsComplete || _body.Started || !_head.ExpectContinue;

    /// <summary>Whether the rest of the request body has arrived, so reading it never waits for the client.</summary>
    public bool BodyBuffered => _body.IsBuffered;

    /// <summary>How many requests the connection has begun: tells one request from the next on the reused <see cref="HttpExchange"/>.</summary>
    public long RequestCount => _served;

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
                if (ConnectionHandshake.IsNeeded(_context) && !await HandshakeAsync().ConfigureAwait(false))
                {
                    return;
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
                    _timeouts.BeginRequest(Environment.TickCount64, Output.BytesSent + Output.BufferedLength);
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

                    // A request one of whose timeouts expired ends its connection: what the expiry did
                    // (a 504, a cancelled token) must not reach the next request.
                    persists &= _timeouts.EndRequest();
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
            catch (OperationCanceledException) when (_timeouts.Expired == TimeoutReason.RequestHead || _timeouts.IsAborted)
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

    /// <summary>
    /// Runs the PROXY/TLS handshake and takes what it found: the client a PROXY header named, and the
    /// TLS stream reads and writes go through from then on. A method of its own, so the connection's
    /// long-lived state machine holds neither the handshake nor its awaiter. False: close now.
    /// </summary>
    private async ValueTask<bool> HandshakeAsync()
    {
        var handshake = new ConnectionHandshake(_socket, _context, _timeouts);
        if (!await handshake.RunAsync().ConfigureAwait(false))
        {
            return false;
        }

        if (handshake.Client is { } client)
        {
            RemoteEndPoint = client;
        }

        if (handshake.Tls is { } tls)
        {
            _tls = tls;
            _input.UseStream(tls);
            Output.UseStream(tls);
        }

        return true;
    }

    /// <summary>
    /// Reads the next request head. When nothing of one has arrived it returns
    /// <see cref="HeadRead.Idle"/> instead of waiting, holding no buffers: the caller waits for
    /// bytes and calls again with <paramref name="woken"/> set, to receive them.
    /// </summary>
    private async ValueTask<HeadRead> ReadHeadAsync(bool woken)
    {
        _timeouts.BeginHead(first: _served == 0);
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
                long now = Environment.TickCount64;
                _servedInTurn = 0;
                if (!partial)
                {
                    // Between requests: hold no buffers while waiting (idle connections cost little).
                    _head.Release();
                    Output.Release();
                    return _timeouts.StartIdleWait(now) ? HeadRead.Idle : HeadRead.Closed;
                }

                cancellation = _timeouts.Token;
                _timeouts.StartHeadWait(now);
            }

            woken = false;
            int received = await _input.FillAsync((int)Math.Min(_context.Limits.MaxHeadSize, int.MaxValue), cancellation).ConfigureAwait(false);
            TimeoutReason expired = _timeouts.StopWait();
            if (expired == TimeoutReason.RequestHead)
            {
                // The sweep claimed the wait as the bytes came: it ends as the cancellation would (408).
                throw new OperationCanceledException(cancellation);
            }

            if (received == 0 || expired == TimeoutReason.KeepAlive)
            {
                // An idle wait that expired as its bytes came closes all the same: the sweep shuts the receive side.
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
