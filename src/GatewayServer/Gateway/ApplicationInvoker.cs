namespace GatewayServer.Gateway;

/// <summary>The loaded application in the one of its two shapes the connection knows how to run.</summary>
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

    public IGatewayApplication? Sync { get; }

    public IAsyncGatewayApplication? Async { get; }
}
