namespace GatewayServer.Owin;

/// <summary>
/// Serves an OWIN 1.0 <c>AppFunc</c> through the contract, so OWIN components run unchanged. The
/// environ becomes an <see cref="OwinEnvironment"/>; the response is streamed: the head goes out
/// with the app's first write to <c>owin.ResponseBody</c> (or when its task completes, for an empty
/// body), and every write is sent before it completes.
/// </summary>
/// <remarks>
/// The app runs on the thread pool rather than on the connection's flow: a synchronous write must
/// wait for the connection to send it, which it could not do if the app held its thread. When the
/// server gives up on the response, <c>owin.CallCancelled</c> is cancelled, further writes throw,
/// and the adapter waits for the app to return before the connection moves on.
/// </remarks>
internal sealed class OwinApplicationAdapter : IAsyncGatewayApplication
{
    private readonly Func<IDictionary<string, object>, Task> _app;

    public OwinApplicationAdapter(Func<IDictionary<string, object>, Task> app)
    {
        _app = app;
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        var aborted = environ.TryGetValue(EnvironKeys.RequestAborted, out object? token) && token is CancellationToken requestAborted
            ? requestAborted
            : CancellationToken.None;
        using var callCancelled = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var body = new OwinResponseBody();
        var owin = new OwinEnvironment(environ, body, callCancelled.Token);
        OwinWebSocketAccept? webSocket = OwinWebSocketAccept.Offer(environ, owin.Values);
        Task app = Task.Run(() => RunAsync(owin.Values, body));
        bool started = false;
        bool finished = false;
        try
        {
            while (await body.NextAsync().ConfigureAwait(false))
            {
                if (!started)
                {
                    started = true;
                    Start(owin, startResponse);
                }

                yield return body.Current;
            }

            if (!started && webSocket is { Accepted: true })
            {
                // websocket.Accept was called and nothing written: the handshake and the conversation follow.
                owin.OnSendingHeaders();
                await webSocket.RunAsync(environ, owin.Values, startResponse, callCancelled.Token).ConfigureAwait(false);
            }
            else if (!started)
            {
                Start(owin, startResponse);
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                body.Abort();
                await callCancelled.CancelAsync().ConfigureAwait(false);
            }

            // The app may still touch the request (its body stream, this environ): the
            // connection must not move on to the next request before it returns.
            await app.ConfigureAwait(false);
        }
    }

    private async Task RunAsync(Dictionary<string, object> environment, OwinResponseBody body)
    {
        try
        {
            await _app(environment).ConfigureAwait(false);
            body.Complete(null);
        }
        catch (Exception error)
        {
            body.Complete(error);
        }
    }

    private static void Start(OwinEnvironment owin, StartResponse startResponse)
    {
        owin.OnSendingHeaders();
        startResponse(owin.ResponseStatus(), owin.ResponseHeaderList());
    }
}
