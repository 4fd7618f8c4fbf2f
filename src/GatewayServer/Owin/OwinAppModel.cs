using GatewayServer.Engine;
using GatewayServer.Gateway;

namespace GatewayServer.Owin;

/// <summary>
/// OWIN 1.0 as an app model behind the engine's seam. For now it runs the <c>AppFunc</c> through
/// the gateway contract (<see cref="OwinApplicationAdapter"/>).
/// </summary>
internal sealed class OwinAppModel : IAppModel
{
    private readonly GatewayAppModel _gateway;

    public OwinAppModel(Func<IDictionary<string, object>, Task> app, IServerLog log)
    {
        _gateway = new GatewayAppModel(new OwinApplicationAdapter(app), log);
    }

    public IExchangeHandler CreateHandler(HttpExchange exchange) => _gateway.CreateHandler(exchange);
}
