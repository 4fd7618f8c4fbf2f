using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Operations;

/// <summary>
/// gwserve serving HelloApp with <c>--metrics-bind 127.0.0.1:0</c> and a control socket in a fresh
/// directory: the endpoint's port comes from its log line; <c>gwserve ctl</c> runs as a real process.
/// </summary>
public sealed partial class OperationsServer : IDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TemporaryDirectory _directory;

    private OperationsServer(GwserveProcess server, TemporaryDirectory directory, string socketPath)
    {
        Server = server;
        _directory = directory;
        SocketPath = socketPath;
    }

    public GwserveProcess Server { get; }

    public string SocketPath { get; }

    public int MetricsPort { get; private set; }

    public static async Task<OperationsServer> StartAsync(int workers, params string[] options)
    {
        var directory = new TemporaryDirectory("gwserve-ops-");
        string socket = Path.Combine(directory.Path, "gwserve.sock");
        GwserveProcess? server = null;
        try
        {
            server = await GwserveProcess.StartReadyAsync(RepositoryLayout.Sample("HelloApp") + ":App", workers,
                ["--metrics-bind", "127.0.0.1:0", "--control-socket", socket, .. options]);
            string line = await server.WaitForLineAsync(l => l.Contains("Metrics and health at: ", StringComparison.Ordinal));
            return new OperationsServer(server, directory, socket)
            {
                MetricsPort = int.Parse(MetricsUrl().Match(line).Groups[1].Value, CultureInfo.InvariantCulture),
            };
        }
        catch
        {
            server?.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>GET of the metrics endpoint's <paramref name="path"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(new Uri($"http://127.0.0.1:{MetricsPort}{path}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET of the app itself (HelloApp), which must answer 200.</summary>
    public async Task RequestAppAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await Http.GetAsync(new Uri($"http://127.0.0.1:{Server.Port}/r{i}"));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    /// <summary>The sum over every series of <paramref name="name"/> in <c>/metrics</c>.</summary>
    public async Task<long> SumAsync(string name)
    {
        (HttpStatusCode status, string body) = await GetAsync("/metrics");
        status.Should().Be(HttpStatusCode.OK);
        return Sum(body, name);
    }

    public static long Sum(string exposition, string name) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Polls <paramref name="condition"/> (a scrape, a query) until it holds or the time is up.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    public Task<ToolProcess.Result> CtlAsync(params string[] args) =>
        ToolProcess.RunAsync(RepositoryLayout.Gwserve, ["ctl", "--socket", SocketPath, .. args]);

    public void Dispose()
    {
        Server.Dispose();
        _directory.Dispose();
    }

    [GeneratedRegex(@"Metrics and health at: http://127\.0\.0\.1:(\d+) ")]
    private static partial Regex MetricsUrl();
}
