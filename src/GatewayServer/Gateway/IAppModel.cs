namespace GatewayServer.Gateway;

/// <summary>
/// The seam between the connection engine and a way of running applications (issue 16, in its
/// smallest form): the engine asks the model once per connection for a handler bound to that
/// connection's reused <see cref="HttpExchange"/>, then calls it once per request. The gateway
/// contract and OWIN still run on the engine's own path; the ASP.NET Core model
/// (<c>GatewayServer.AspNetCore</c>) plugs in here.
/// </summary>
internal interface IAppModel
{
    /// <summary>Made on a connection's first request and kept for its life, as Kestrel's <c>HttpProtocol</c> is.</summary>
    IExchangeHandler CreateHandler(HttpExchange exchange);
}
