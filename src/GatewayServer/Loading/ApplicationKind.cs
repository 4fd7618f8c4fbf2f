namespace GatewayServer.Loading;

/// <summary>Which calling convention a loaded application uses.</summary>
public enum ApplicationKind
{
    /// <summary>An <see cref="IGatewayApplication"/>.</summary>
    Sync,

    /// <summary>An <see cref="IAsyncGatewayApplication"/>.</summary>
    Async,

    /// <summary>An OWIN <c>AppFunc</c>, served through the server's OWIN adapter.</summary>
    Owin,

    /// <summary>
    /// A program with an entry point (an ASP.NET Core app): the worker runs its <c>Main</c> with
    /// gwserve's server in place of Kestrel.
    /// </summary>
    Host,
}
