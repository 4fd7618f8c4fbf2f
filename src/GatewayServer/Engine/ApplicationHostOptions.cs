namespace GatewayServer.Engine;

/// <summary>What a worker tells an <see cref="IApplicationHost"/> as it starts it.</summary>
internal sealed class ApplicationHostOptions
{
    /// <summary>The addresses the worker serves, as URLs (<c>http://127.0.0.1:8000</c>), for the app's <c>IServerAddressesFeature</c>.</summary>
    public required IReadOnlyList<string> Addresses { get; init; }

    /// <summary><c>--graceful-timeout</c>: how long the app's own stop may take.</summary>
    public required TimeSpan GracefulTimeout { get; init; }

    /// <summary>The request body limit (<c>--limit-request-body</c>), or -1 for none: the app's default <c>MaxRequestBodySize</c>.</summary>
    public long MaxRequestBodySize { get; init; } = -1;

    /// <summary>Where warnings of the host's own go (app-set URLs ignored, ...).</summary>
    public required Action<string> Warn { get; init; }

    /// <summary>How long the app may take to start its server.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
