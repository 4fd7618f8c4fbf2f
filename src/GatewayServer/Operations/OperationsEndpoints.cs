using System.Net.Sockets;
using GatewayServer.Configuration;
using GatewayServer.Logging;
using GatewayServer.Master;
using GatewayServer.Transport;

namespace GatewayServer.Operations;

/// <summary>The metrics/health endpoint and the control socket a master was configured with; either may be absent.</summary>
public sealed class OperationsEndpoints : IDisposable
{
    private readonly HealthEndpoint? _health;
    private readonly ControlSocket? _control;

    private OperationsEndpoints(HealthEndpoint? health, ControlSocket? control)
    {
        _health = health;
        _control = control;
    }

    /// <summary>
    /// Starts what <paramref name="settings"/> ask for (<c>--metrics-bind</c>, <c>--control-socket</c>)
    /// and logs where; throws <see cref="IOException"/> naming the address when one cannot be bound.
    /// </summary>
    public static OperationsEndpoints Start(ServerSettings settings, MasterProcess master, ErrorLog log)
    {
        string metricsBind = settings.Get(Settings.MetricsBind);
        string controlPath = settings.Get(Settings.ControlSocket);
        HealthEndpoint? health = null;
        try
        {
            if (metricsBind.Length > 0)
            {
                health = HealthEndpoint.Start(BindAddress.Parse(metricsBind), master, log);
                log.Info($"Metrics and health at: {health.Url} (/metrics, /livez, /readyz)");
            }

            ControlSocket? control = null;
            if (controlPath.Length > 0)
            {
                control = ControlSocket.Start(controlPath, master, log);
                log.Info($"Control socket at: {control.Path} (gwserve ctl --socket {control.Path} status)");
            }

            return new OperationsEndpoints(health, control);
        }
        catch (Exception error) when (error is SocketException or IOException or UnauthorizedAccessException)
        {
            health?.Dispose();
            string which = health is null && metricsBind.Length > 0 ? $"--metrics-bind {metricsBind}" : $"--control-socket {controlPath}";
            throw new IOException($"{which}: {error.Message}", error);
        }
    }

    public void Dispose()
    {
        _control?.Dispose();
        _health?.Dispose();
    }
}
