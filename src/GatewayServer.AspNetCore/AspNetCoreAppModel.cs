using GatewayServer.Engine;
using Microsoft.AspNetCore.Hosting.Server;

namespace GatewayServer.AspNetCore;

/// <summary>The ASP.NET Core app model behind the engine's seam: one <see cref="AspNetCoreExchange{TContext}"/> per connection.</summary>
internal sealed class AspNetCoreAppModel<TContext> : IAppModel
    where TContext : notnull
{
    private readonly IHttpApplication<TContext> _application;
    private readonly ApplicationHostOptions _options;

    public AspNetCoreAppModel(IHttpApplication<TContext> application, ApplicationHostOptions options)
    {
        _application = application;
        _options = options;
    }

    public IExchangeHandler CreateHandler(HttpExchange exchange) => new AspNetCoreExchange<TContext>(exchange, _application, _options);
}
