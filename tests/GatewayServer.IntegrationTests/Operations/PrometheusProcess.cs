using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Operations;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) as a child process, scraping one target every
/// second, with its storage in a fresh directory and its web API on a free loopback port; killed by pid.
/// </summary>
public sealed class PrometheusProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process _process;
    private readonly TemporaryDirectory _directory;
    private readonly int _port;

    private PrometheusProcess(Process process, TemporaryDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        _port = port;
    }

    /// <summary>Starts Prometheus scraping <c>127.0.0.1:<paramref name="targetPort"/>/metrics</c> and waits until its API answers.</summary>
    public static async Task<PrometheusProcess> StartAsync(int targetPort)
    {
        var directory = new TemporaryDirectory("gwserve-prometheus-");
        string config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gwserve
                static_configs:
                  - targets: ['127.0.0.1:{targetPort}']
            """);
        int port = FreePort();
        var info = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException("cannot start prometheus (apt-get install prometheus; .ci/run installs it)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var prometheus = new PrometheusProcess(process, directory, port);
        bool ready = await OperationsServer.EventuallyAsync(prometheus.IsReadyAsync, TimeSpan.FromSeconds(30));
        if (!ready)
        {
            prometheus.Dispose();
            throw new TimeoutException("prometheus did not become ready");
        }

        return prometheus;
    }

    /// <summary>An instant query through the HTTP API: each result's labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        string json = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/api/v1/query?query={Uri.EscapeDataString(promql)}"));
        using JsonDocument document = JsonDocument.Parse(json);
        var results = new List<(Dictionary<string, string>, double)>();
        foreach (JsonElement result in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = result.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            double value = double.Parse(result.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            results.Add((labels, value));
        }

        return results;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            ProcessSignals.Send(_process.Id, ProcessSignals.Kill);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}");
        }

        try
        {
            using HttpResponseMessage response = await Http.GetAsync(new Uri($"http://127.0.0.1:{_port}/-/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
