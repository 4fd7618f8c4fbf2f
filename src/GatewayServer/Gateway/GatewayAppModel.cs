using GatewayServer.Engine;

namespace GatewayServer.Gateway;

/// <summary>
/// The gateway contract as an app model behind the engine's seam: each connection gets an
/// <see cref="ApplicationResponder"/>, which builds the environ from its <see cref="HttpExchange"/>
/// and runs the application, synchronous or asynchronous.
/// </summary>
internal sealed class GatewayAppModel : IAppModel
{
    public GatewayAppModel(IGatewayApplication application, IServerLog log)
    {
        Sync = application;
        Errors = new ErrorLogWriter(log);
    }

    public GatewayAppModel(IAsyncGatewayApplication application, IServerLog log)
    {
        Async = application;
        Errors = new ErrorLogWriter(log);
    }

    public IGatewayApplication? Sync { get; }

    public IAsyncGatewayApplication? Async { get; }

    /// <summary>The writer behind <c>gateway.errors</c>: the worker's error log.</summary>
    public TextWriter Errors { get; }

    public IExchangeHandler CreateHandler(HttpExchange exchange) => new ApplicationResponder(exchange, this);
}
