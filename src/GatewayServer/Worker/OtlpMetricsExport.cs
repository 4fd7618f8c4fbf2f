using System.Runtime.CompilerServices;
using GatewayServer.Engine;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GatewayServer.Worker;

/// <summary>
/// <c>--otlp-endpoint</c>: the worker pushes its own <c>GatewayServer</c> meter with the
/// OpenTelemetry SDK's OTLP exporter (HTTP, protobuf). Each worker exports for itself, named by
/// its resource (<c>service.instance.id</c> = host:pid, <c>gwserve.worker.generation</c>), so the
/// master, which must stay small and NativeAOT-compiled, never loads the SDK: these types are
/// reached only through <see cref="Start"/>, called only when the setting is on.
/// </summary>
internal static class OtlpMetricsExport
{
    /// <summary>The path OTLP/HTTP receivers take metrics on (OTLP specification, "OTLP/HTTP Request").</summary>
    private const string MetricsPath = "v1/metrics";

    /// <summary>How long the last export may hold a stopping worker when the collector does not answer.</summary>
    private const int ShutdownMilliseconds = 2000;

    /// <summary>Starts exporting; disposing the result sends what is left and stops.</summary>
    /// <param name="endpoint">The collector's base URL (as OTEL_EXPORTER_OTLP_ENDPOINT): metrics go to its <c>/v1/metrics</c>.</param>
    /// <param name="generation">The worker's generation (the reload it was started by).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IDisposable Start(string endpoint, int generation)
    {
        string serviceName = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "gwserve";
        MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}", autoGenerateServiceInstanceId: false)
                .AddAttributes([new KeyValuePair<string, object>("gwserve.worker.generation", generation)]))
            .AddMeter(ServerMetrics.MeterName)
            .AddOtlpExporter(options =>
            {
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = MetricsUri(endpoint);
            })
            .Build();
        return new Export(provider);
    }

    /// <summary><paramref name="endpoint"/> with <c>v1/metrics</c> appended to its path.</summary>
    public static Uri MetricsUri(string endpoint)
    {
        string text = endpoint.EndsWith('/') ? endpoint : endpoint + "/";
        return new Uri(new Uri(text), MetricsPath);
    }

    /// <summary>Stops with one last export, bounded by <see cref="ShutdownMilliseconds"/> (disposing alone could wait for the exporter's own timeout).</summary>
    private sealed class Export(MeterProvider provider) : IDisposable
    {
        public void Dispose()
        {
            provider.Shutdown(ShutdownMilliseconds);
            provider.Dispose();
        }
    }
}
