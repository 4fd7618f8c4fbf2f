using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace GatewayServer.AspNetCore;

/// <summary>
/// Watches for the generic host's "HostBuilding" diagnostic event, which both
/// <c>WebApplicationBuilder</c> and <c>HostBuilder</c> raise with an <see cref="IHostBuilder"/>
/// just before they build, and hands that builder to a callback; only the first host built is
/// the app's (a host built later, e.g. by a test inside the app, is left alone).
/// </summary>
internal sealed class HostBuildingObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private const string ListenerName = "Microsoft.Extensions.Hosting";
    private const string HostBuildingEvent = "HostBuilding";

    private readonly Action<IHostBuilder> _configure;
    private int _configured;

    public HostBuildingObserver(Action<IHostBuilder> configure)
    {
        _configure = configure;
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == ListenerName)
        {
            // Lives as long as the listener: at most one per host built.
            value.Subscribe(this);
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == HostBuildingEvent && value.Value is IHostBuilder builder && Interlocked.Exchange(ref _configured, 1) == 0)
        {
            _configure(builder);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
