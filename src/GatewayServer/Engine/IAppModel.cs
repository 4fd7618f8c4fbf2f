namespace GatewayServer.Engine;

/// <summary>
/// The one seam between the connection engine and a way of running applications: the engine asks
/// the model once per connection for a handler bound to that connection's reused
/// <see cref="HttpExchange"/>, then calls it once per request. The gateway contract
/// (<c>Gateway/</c>), OWIN (<c>Owin/</c>) and ASP.NET Core (<c>GatewayServer.AspNetCore</c>) each
/// implement it; the engine knows none of them.
/// </summary>
internal interface IAppModel
{
    /// <summary>Made on a connection's first request and kept for its life, as Kestrel's <c>HttpProtocol</c> is.</summary>
    IExchangeHandler CreateHandler(HttpExchange exchange);
}
