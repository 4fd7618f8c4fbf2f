namespace GatewayServer.Engine;

/// <summary>
/// Protocol upgrades (RFC 9110 section 7.8): a request that asked to switch protocols is answered
/// 101 by its app, and from then on the connection is one <see cref="UpgradedStream"/>. The head,
/// keep-alive, body and request timeouts stop; the connection stays in the worker's registry (so
/// accept balancing counts it and a stopping worker waits for it up to its graceful timeout) until
/// the stream is disposed, the peer goes away under the app, or the worker gives it up.
/// </summary>
internal sealed partial class HttpConnection
{
    private UpgradedStream? _upgraded;

    /// <summary>
    /// Whether the current request may switch protocols: it asked to (<see cref="Http.RequestHead.CanUpgrade"/>)
    /// and nothing of the response went out. A stopping worker still upgrades: a connection accepted
    /// just before the stop (or the request that reached --max-requests) would otherwise get a refusal
    /// clients handle worse than the close at the graceful timeout, which every WebSocket client must handle.
    /// </summary>
    public bool CanUpgrade => _head.CanUpgrade && _upgraded is null && !_response.HeadWritten;

    /// <summary>
    /// Switches protocols: <paramref name="writeHead"/> writes the app's 101 head through the
    /// response (which refuses a 101 written any other way), the head leaves, and the returned
    /// stream is the connection. With <paramref name="closesWithRequest"/> the connection closes
    /// when the app's request ends (ASP.NET Core's rule); otherwise when the stream is disposed (the
    /// gateway contract's, whose app may hand the stream to a task of its own and return).
    /// </summary>
    public Stream Upgrade(Action<HttpResponse> writeHead, bool closesWithRequest)
    {
        if (!CanUpgrade)
        {
            throw new InvalidOperationException(_head.CanUpgrade
                ? "the connection cannot switch protocols now: the response has started"
                : "the request did not ask to switch protocols (HTTP/1.1, Connection: upgrade, an Upgrade header, no body)");
        }

        _response.BeginSwitchingProtocols();
        writeHead(_response);
        var upgraded = new UpgradedStream(_input, Output, closesWithRequest);
        _upgraded = upgraded;
        _phase = ConnectionPhase.Upgraded;
        // No request is in progress any more: the request timeout and the sweep's view of the oldest request let go of it.
        _ = _timeouts.EndRequest();
        _context.Metrics?.ConnectionUpgraded();
        upgraded.SendHead();
        return upgraded;
    }

    /// <summary>
    /// After the app's request ended on an upgraded connection: waits (holding no thread and no
    /// buffer) until the stream is disposed, then the connection closes as any other does.
    /// </summary>
    private async ValueTask RunUpgradedAsync(UpgradedStream upgraded)
    {
        if (upgraded.ClosesWithRequest)
        {
            upgraded.Dispose();
        }

        // The request is over (its environ was valid only while it ran): what it held is not needed
        // by the new protocol, and an app that handed the stream to a task of its own keeps only that.
        _handler?.Release();
        _head.Release();
        await upgraded.Closed.ConfigureAwait(false);
    }

    /// <summary>Ends an upgraded connection's wait: the worker gives it up (<see cref="Abort"/>), or its app failed.</summary>
    private void AbortUpgraded() => _upgraded?.Dispose();
}
