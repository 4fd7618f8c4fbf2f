namespace GatewayServer.Engine;

/// <summary>
/// Serves the requests of one connection, one at a time, through its <see cref="HttpExchange"/>.
/// It must leave the response complete (head written, body ended) when it returns; an exception
/// it lets out is answered 500 when nothing was sent yet, logged, and closes the connection.
/// </summary>
internal interface IExchangeHandler
{
    /// <summary>Serves the exchange's current request.</summary>
    ValueTask ProcessAsync();

    /// <summary>
    /// The connection switched protocols and its last request is over: drop what that request
    /// held (an environ, strings), so an upgraded connection keeps only its stream.
    /// </summary>
    void Release();
}
