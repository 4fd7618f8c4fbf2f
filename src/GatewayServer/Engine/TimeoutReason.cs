namespace GatewayServer.Engine;

/// <summary>Which of a connection's timeouts a <see cref="TimeoutControl"/> is running, or has just expired.</summary>
internal enum TimeoutReason : byte
{
    /// <summary>Nothing is timed: the app runs without a request timeout, or the connection is upgraded or closing.</summary>
    None,

    /// <summary>
    /// An idle wait for the next request, nothing of it received (<c>keep-alive</c>, or the first
    /// request's <c>header-timeout</c> from accept). It takes no token: expiring it shuts the socket's
    /// receive side, and the connection closes without a word.
    /// </summary>
    KeepAlive,

    /// <summary>
    /// Part of a head has come, or the TLS/PROXY handshake runs (<c>header-timeout</c>): expiring it
    /// cancels <see cref="TimeoutControl.Token"/>; a partial head is answered 408.
    /// </summary>
    RequestHead,

    /// <summary>The app runs a request (<c>request-timeout</c>): expiring it answers 504 if nothing was sent yet.</summary>
    Request,

    /// <summary>A request timed out and its app still runs at twice the timeout: the worker is told it will not give the thread back.</summary>
    RequestAbandoned,

    /// <summary>A read of the request body waited too long, or the body arrives below the minimum data rate: 408.</summary>
    BodyRead,
}
