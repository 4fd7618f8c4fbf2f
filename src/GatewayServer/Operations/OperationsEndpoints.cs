using System.Net.Sockets;
using GatewayServer.Configuration;
using GatewayServer.Logging;
using GatewayServer.Master;
using GatewayServer.Transport;

namespace GatewayServer.Operations;

/// <summary>The metrics/health endpoint and the control socket a master was configured with; either may be absent.</summary>
public sealed class OperationsEndpoints : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly List<IDisposable> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ErrorLog _log;

    private OperationsEndpoints(ErrorLog log)
    {
        _log = log;
    }

    /// <summary>
    /// Starts what <paramref name="settings"/> ask for (<c>--metrics-bind</c>, <c>--control-socket</c>)
    /// and logs where; throws <see cref="IOException"/> naming the setting when one cannot be bound.
    /// A master started by USR2 (<paramref name="predecessorMayHoldThem"/>) instead retries every
    /// second: the master it replaces holds both until it exits.
    /// </summary>
    public static OperationsEndpoints Start(ServerSettings settings, MasterProcess master, ErrorLog log, bool predecessorMayHoldThem = false)
    {
        var endpoints = new OperationsEndpoints(log);
        try
        {
            string metricsBind = settings.Get(Settings.MetricsBind);
            if (metricsBind.Length > 0)
            {
                endpoints.Open($"--metrics-bind {metricsBind}", predecessorMayHoldThem, () =>
                {
                    HealthEndpoint health = HealthEndpoint.Start(BindAddress.Parse(metricsBind), master, log);
                    log.Info($"Metrics and health at: {health.Url} (/metrics, /livez, /readyz)");
                    return health;
                });
            }

            string controlPath = settings.Get(Settings.ControlSocket);
            if (controlPath.Length > 0)
            {
                endpoints.Open($"--control-socket {controlPath}", predecessorMayHoldThem, () =>
                {
                    ControlSocket control = ControlSocket.Start(controlPath, master, log);
                    log.Info($"Control socket at: {control.Path} (gwserve ctl --socket {control.Path} status)");
                    return control;
                });
            }

            return endpoints;
        }
        catch
        {
            endpoints.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        lock (_open)
        {
            foreach (IDisposable endpoint in _open)
            {
                endpoint.Dispose();
            }

            _open.Clear();
        }
    }

    private void Open(string setting, bool retry, Func<IDisposable> bind)
    {
        try
        {
            Add(bind());
        }
        catch (Exception error) when (error is SocketException or IOException or UnauthorizedAccessException)
        {
            if (!retry)
            {
                throw new IOException($"{setting}: {error.Message}", error);
            }

            _log.Warning($"{setting}: {error.Message}; the master this one replaces holds it until it exits: retrying every second");
            _ = RetryAsync(bind);
        }
    }

    private async Task RetryAsync(Func<IDisposable> bind)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryInterval, _stop.Token).ConfigureAwait(false);
                Add(bind());
                return;
            }
            catch (Exception error) when (error is SocketException or IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                // Still held; or this master is stopping.
            }
        }
    }

    private void Add(IDisposable endpoint)
    {
        lock (_open)
        {
            if (_stop.IsCancellationRequested)
            {
                endpoint.Dispose();
                return;
            }

            _open.Add(endpoint);
        }
    }
}
