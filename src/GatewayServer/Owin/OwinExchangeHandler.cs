using System.Globalization;
using GatewayServer.Engine;
using GatewayServer.Http.Response;

namespace GatewayServer.Owin;

/// <summary>
/// Serves a connection's requests to an OWIN <c>AppFunc</c> straight from the engine's
/// <see cref="HttpExchange"/>: fills the environment (<see cref="OwinEnvironment"/>), calls the
/// app inline on the connection's flow, and frames what it left in the response keys and wrote to
/// <c>owin.ResponseBody</c>. An app that completes without waiting costs no hand-off between
/// threads: its body is held, gets a Content-Length, and leaves with the engine's next send.
/// </summary>
/// <remarks>
/// A request whose body is still in flight runs on the pool, as the gateway contract's synchronous
/// apps do: a synchronous read of <c>owin.RequestBody</c> would otherwise block the event loop
/// until the client sends it. The app may keep the environment only while its request runs: the
/// next request of the connection clears and refills the same dictionaries.
/// </remarks>
internal sealed class OwinExchangeHandler : IExchangeHandler
{
    private readonly HttpExchange _exchange;
    private readonly Func<IDictionary<string, object>, Task> _app;
    private readonly OwinEnvironment _environment;
    private readonly OwinResponseBody _body;
    private readonly OwinResponseHeaders _headers = new();
    private readonly List<(Action<object> Callback, object State)> _sendingHeaders = [];
    private OwinWebSocketAccept? _webSocket;
    private bool _headersSent;

    public OwinExchangeHandler(HttpExchange exchange, OwinAppModel model)
    {
        _exchange = exchange;
        _app = model.App;
        _body = new OwinResponseBody(exchange, StartResponse);
        _environment = new OwinEnvironment(exchange, model.TraceOutput, _body, RegisterSendingHeaders);
    }

    /// <summary>Not an async method: the request's one state machine is <see cref="RunAsync"/>'s.</summary>
    public ValueTask ProcessAsync()
    {
        _sendingHeaders.Clear();
        _headersSent = false;
        _environment.Reset();
        _webSocket?.Reset();
        if (_exchange.CanUpgrade && OwinWebSocketAccept.IsRequested(_environment.RequestHeaders))
        {
            _webSocket ??= new OwinWebSocketAccept(_exchange);
            _environment.Values[OwinKeys.WebSocketAccept] = _webSocket.Accept;
        }

        return !_exchange.BodyBuffered && !Thread.CurrentThread.IsThreadPoolThread ? RunOnPoolAsync() : RunAsync();
    }

    /// <summary>The request is over on an upgraded connection: the environment lets go of what it held.</summary>
    public void Release()
    {
        _environment.Release();
        _body.Release();
    }

    /// <summary>Off the event loop's thread (which has no synchronization context): the rest runs as a pool work item.</summary>
    private async ValueTask RunOnPoolAsync()
    {
        await Task.Yield();
        await RunAsync().ConfigureAwait(false);
    }

    private async ValueTask RunAsync()
    {
        Task app;
        _body.BeginSynchronousPart();
        try
        {
            app = _app(_environment.Values) ?? throw new InvalidOperationException("the OWIN app returned a null task");
        }
        finally
        {
            _body.EndSynchronousPart();
        }

        try
        {
            if (!app.IsCompleted)
            {
                // The app waits on something: what it wrote so far goes out now, not when it ends.
                await _body.SendHeldAsync().ConfigureAwait(false);
            }

            await app.ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException && _exchange.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the worker gave up): what the app threw next is a consequence, not its error.
            throw new OperationCanceledException("the request was aborted", error, _exchange.RequestAborted);
        }

        if (_webSocket is { Accepted: true } && !_exchange.Response.HeadWritten)
        {
            RunSendingHeaders();
            if (await _webSocket.RunAsync(_environment.Values).ConfigureAwait(false))
            {
                return;
            }
        }

        _body.Complete();
    }

    /// <summary>
    /// Writes the head from the response keys, after the <c>server.OnSendingHeaders</c> callbacks.
    /// <paramref name="knownLength"/> is the whole body's length when known, else -1. False when
    /// the head was written already.
    /// </summary>
    private bool StartResponse(long knownLength)
    {
        if (_exchange.Response.HeadWritten)
        {
            return false;
        }

        RunSendingHeaders();
        Dictionary<string, object> values = _environment.Values;
        (int code, string? statusText) = Status(values);
        _headers.Use(values.TryGetValue(OwinKeys.ResponseHeaders, out object? headers) ? headers as IDictionary<string, string[]> : null);
        bool keepAlive = _exchange.MayKeepAlive && !_headers.AsksToClose();
        _exchange.Response.WriteHead(code, _headers, knownLength, keepAlive, statusText);
        return true;
    }

    /// <summary>Runs the <c>server.OnSendingHeaders</c> callbacks once, last registered first (as Katana does); the head is being fixed.</summary>
    private void RunSendingHeaders()
    {
        if (_headersSent)
        {
            return;
        }

        _headersSent = true;
        for (int i = _sendingHeaders.Count - 1; i >= 0; i--)
        {
            (Action<object> callback, object state) = _sendingHeaders[i];
            callback(state);
        }
    }

    private void RegisterSendingHeaders(Action<object> callback, object state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (_headersSent)
        {
            throw new InvalidOperationException("the response headers have already been sent");
        }

        _sendingHeaders.Add((callback, state));
    }

    /// <summary>
    /// <c>owin.ResponseStatusCode</c> (200 when absent) and <c>owin.ResponseReasonPhrase</c>, checked
    /// as the gateway contract's status is: a 1xx or a reason with a control character is the app's error.
    /// The status text is null when the standard reason phrase goes out.
    /// </summary>
    private static (int Code, string? StatusText) Status(Dictionary<string, object> values)
    {
        int code = !values.TryGetValue(OwinKeys.ResponseStatusCode, out object? value) || value is null ? 200
            : value is int number ? number
            : Convert.ToInt32(value, CultureInfo.InvariantCulture);
        if (code is < 100 or > 999)
        {
            throw new InvalidOperationException($"owin.ResponseStatusCode {code} is not a 3-digit status code");
        }

        string? reason = values.TryGetValue(OwinKeys.ResponseReasonPhrase, out object? phrase) && phrase is string { Length: > 0 } text ? text : null;
        if (reason is null && code is >= 200 and <= 599)
        {
            return (code, null);
        }

        string status = string.Create(CultureInfo.InvariantCulture, $"{code} {reason ?? ReasonPhrases.For(code)}");
        if (ResponseHeaderValidator.CheckStatus(status) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return (code, reason is null ? null : status);
    }
}
