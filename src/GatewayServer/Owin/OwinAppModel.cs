using GatewayServer.Engine;

namespace GatewayServer.Owin;

/// <summary>
/// OWIN 1.0 as an app model behind the engine's seam, built straight on the
/// <see cref="HttpExchange"/>: each connection gets an <see cref="OwinExchangeHandler"/>, which
/// fills one reused environment dictionary from the request head and runs the <c>AppFunc</c> inline.
/// </summary>
internal sealed class OwinAppModel : IAppModel
{
    public OwinAppModel(Func<IDictionary<string, object>, Task> app, IServerLog log)
    {
        App = app;
        TraceOutput = new ErrorLogWriter(log);
    }

    public Func<IDictionary<string, object>, Task> App { get; }

    /// <summary>The writer behind <c>host.TraceOutput</c>: the worker's error log.</summary>
    public TextWriter TraceOutput { get; }

    public IExchangeHandler CreateHandler(HttpExchange exchange) => new OwinExchangeHandler(exchange, this);
}
