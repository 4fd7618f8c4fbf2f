namespace GatewayServer.Gateway;

/// <summary>
/// Serves the requests of one connection, one at a time, through its <see cref="HttpExchange"/>.
/// It must leave the response complete (head written, body ended) when it returns; an exception
/// it lets out is answered 500 when nothing was sent yet, logged, and closes the connection.
/// </summary>
internal interface IExchangeHandler
{
    ValueTask ProcessAsync();
}
