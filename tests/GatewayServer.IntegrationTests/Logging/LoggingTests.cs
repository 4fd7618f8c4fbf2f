using System.Text.Json;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Logging;

public sealed class LoggingTests : IDisposable
{
    private static readonly string Hello = RepositoryLayout.Sample("HelloApp") + ":App";

    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static async Task<RawResponse> GetAsync(int port, string target, string extraHeaders = "")
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: tester/1\r\nReferer: http://from/\r\n{extraHeaders}Connection: close\r\n\r\n");
        return await connection.ReadResponseAsync();
    }

    /// <summary>Lines are written when the response is done; wait for them without sleeping blindly.</summary>
    private static async Task<string[]> WaitForLinesAsync(string path, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            string[] lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            if (lines.Length >= count)
            {
                return lines;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task The_access_log_formats_gunicorn_tokens_on_real_requests()
    {
        string log = PathOf("access.log");
        using GwserveProcess server = await GwserveProcess.StartAsync(Hello,
            "--access-logfile", log, "--request-id", "generate",
            "--access-logformat", "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s %(B)s \"%(f)s\" \"%(a)s\" %(m)s %(U)s %(q)s %(H)s %(D)s %(L)s %(p)s %({content-type}o)s %({x-request-id}o)s %({user-agent}i)s");

        RawResponse response = await GetAsync(server.Port, "/path?x=1");

        string line = (await WaitForLinesAsync(log, 1)).Single();
        string requestId = response.Header("X-Request-Id")!;
        requestId.Should().MatchRegex("^[0-9a-f]{32}$");
        line.Should().MatchRegex(
            @"^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] ""GET /path\?x=1 HTTP/1\.1"" 200 13 13 ""http://from/"" ""tester/1"" " +
            @"GET /path x=1 HTTP/1\.1 \d+ \d+\.\d{6} <\d+> text/plain " + requestId + " tester/1$");
        int pid = int.Parse(Regex.Match(line, "<(\\d+)>").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        server.WorkerPids().Should().Contain(pid);
    }

    [Fact]
    public async Task Json_lines_of_both_logs_parse_with_the_documented_fields()
    {
        string access = PathOf("access.json");
        string errors = PathOf("error.json");
        using GwserveProcess server = GwserveProcess.Launch([Hello, "--bind", "127.0.0.1:0", "--log-format", "json", "--access-logfile", access, "--error-logfile", errors, "--request-id", "trust"]);
        string[] errorLines = await WaitForLinesAsync(errors, 4);
        using JsonDocument listening = JsonDocument.Parse(errorLines.First(l => l.Contains("Listening at", StringComparison.Ordinal)));
        int port = new Uri(listening.RootElement.GetProperty("url").GetString()!).Port;
        await WaitForTextAsync(errors, "Worker ready");

        RawResponse response = await GetAsync(port, "/j?k=v", "X-Request-Id: client-id-1\r\n");

        response.Header("X-Request-Id").Should().Be("client-id-1");
        using JsonDocument entry = JsonDocument.Parse((await WaitForLinesAsync(access, 1)).Single());
        JsonElement root = entry.RootElement;
        root.GetProperty("timestamp").GetDateTime().Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        root.GetProperty("level").GetString().Should().Be("info");
        root.GetProperty("pid").GetInt32().Should().BePositive();
        root.GetProperty("worker_id").GetInt32().Should().Be(1);
        root.GetProperty("request_id").GetString().Should().Be("client-id-1");
        root.GetProperty("method").GetString().Should().Be("GET");
        root.GetProperty("path").GetString().Should().Be("/j");
        root.GetProperty("query").GetString().Should().Be("k=v");
        root.GetProperty("status").GetInt32().Should().Be(200);
        root.GetProperty("bytes").GetInt64().Should().Be(13);
        root.GetProperty("duration").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        root.GetProperty("user_agent").GetString().Should().Be("tester/1");

        foreach (string line in File.ReadAllLines(errors))
        {
            using JsonDocument error = JsonDocument.Parse(line);
            error.RootElement.GetProperty("level").GetString().Should().BeOneOf("debug", "info", "warning", "error", "critical");
            error.RootElement.GetProperty("pid").GetInt32().Should().BePositive();
            error.RootElement.TryGetProperty("worker_id", out _).Should().BeTrue();
            error.RootElement.GetProperty("message").GetString().Should().NotBeEmpty();
        }
    }

    private static int PortFromLog(string errorLog) =>
        int.Parse(Regex.Match(File.ReadAllText(errorLog), @"Listening at: http://[^ ]*:(\d+) ").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitForTextAsync(string path, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!File.Exists(path) || !File.ReadAllText(path).Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Usr1_reopens_the_logs_so_new_lines_land_in_the_new_files()
    {
        string access = PathOf("access.log");
        string errors = PathOf("error.log");
        using GwserveProcess server = GwserveProcess.Launch([Hello, "--bind", "127.0.0.1:0", "--workers", "2", "--access-logfile", access, "--error-logfile", errors]);
        await WaitForTextAsync(errors, "Worker ready");
        int port = PortFromLog(errors);
        while (Regex.Matches(File.ReadAllText(errors), "Worker ready").Count < 2)
        {
            await Task.Delay(20);
        }

        (await GetAsync(port, "/before")).Status.Should().Be(200);
        await WaitForLinesAsync(access, 1);
        File.Move(access, access + ".1");
        File.Move(errors, errors + ".1");

        server.Signal(ProcessSignals.Usr1);
        await WaitForTextAsync(errors, "Reopened the log files");
        // The workers reopen on their own signal: keep asking until each request is logged in the new file.
        string[] lines = [];
        for (int i = 0; i < 200 && lines.Length < 4; i++)
        {
            (await GetAsync(port, $"/after{i}")).Status.Should().Be(200);
            lines = File.Exists(access) ? File.ReadAllLines(access) : [];
        }

        lines.Should().HaveCountGreaterThanOrEqualTo(4);
        lines.Should().OnlyContain(l => l.Contains("\"GET /after", StringComparison.Ordinal));
        File.ReadAllText(access + ".1").Should().Contain("GET /before");
        File.ReadAllText(errors + ".1").Should().Contain("Worker ready").And.Contain("Handling signal: usr1").And.NotContain("Reopened");
    }

    [Fact]
    public async Task Access_and_error_logs_keep_flowing_after_a_rolling_reload()
    {
        string access = PathOf("access.log");
        string errors = PathOf("error.log");
        using GwserveProcess server = GwserveProcess.Launch([Hello, "--bind", "127.0.0.1:0", "--workers", "2", "--access-logfile", access, "--error-logfile", errors]);
        await WaitForTextAsync(errors, "Worker ready");
        int port = PortFromLog(errors);
        (await GetAsync(port, "/before-reload")).Status.Should().Be(200);
        await WaitForLinesAsync(access, 1);

        server.Signal(ProcessSignals.Hup);
        await WaitForTextAsync(errors, "Reload complete");
        (await GetAsync(port, "/after-reload")).Status.Should().Be(200);

        string[] lines = await WaitForLinesAsync(access, 2);
        lines.Should().Contain(l => l.Contains("/after-reload", StringComparison.Ordinal), "the new generation writes to the same access log");
        File.ReadAllText(errors).Should().Contain("Reloading: starting generation 2");
    }

    [Fact]
    public async Task Usr1_is_forwarded_to_every_worker()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Hello, 2, "--access-logfile", PathOf("access.log"));
        IReadOnlyList<int> workers = server.WorkerPids();

        server.Signal(ProcessSignals.Usr1);
        await server.WaitForLineAsync(l => l.Contains("Handling signal: usr1", StringComparison.Ordinal));

        // A worker that did not handle SIGUSR1 would have died of it (the default action is to terminate).
        (await GetAsync(server.Port, "/")).Status.Should().Be(200);
        server.WorkerPids().Should().BeEquivalentTo(workers);
        server.Output.Should().NotContain("exited unexpectedly");
    }

    [Fact]
    public async Task Master_and_workers_write_whole_lines_to_one_error_log_with_their_own_pids()
    {
        string errors = PathOf("error.log");
        using GwserveProcess server = GwserveProcess.Launch([Hello, "--bind", "127.0.0.1:0", "--workers", "2", "--error-logfile", errors, "--log-level", "debug"]);
        while (!File.Exists(errors) || Regex.Matches(File.ReadAllText(errors), "Worker ready").Count < 2)
        {
            await Task.Delay(20);
        }

        string[] lines = File.ReadAllLines(errors);
        lines.Should().OnlyContain(l => Regex.IsMatch(l, @"^\[[^\]]+\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] "));
        lines.Should().Contain(l => l.Contains($"[{server.Pid}] [INFO] Listening at", StringComparison.Ordinal));
        server.Output.Should().BeEmpty("everything went to the file");
    }
}
