namespace GatewayServer.Gateway;

/// <summary>The loaded application in the one of its shapes the connection knows how to run.</summary>
internal sealed class ApplicationInvoker
{
    public ApplicationInvoker(IGatewayApplication application)
    {
        Sync = application;
    }

    public ApplicationInvoker(IAsyncGatewayApplication application)
    {
        Async = application;
    }

    public ApplicationInvoker(IAppModel model)
    {
        Model = model;
    }

    public IGatewayApplication? Sync { get; }

    public IAsyncGatewayApplication? Async { get; }

    /// <summary>An app model behind the engine's seam (ASP.NET Core); null for the gateway contract and OWIN.</summary>
    public IAppModel? Model { get; }
}
