using System.Text.Json;
using GatewayServer.Logging;

namespace GatewayServer.Tests.Logging;

public sealed class ErrorLogTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gwserve-errorlog-{Guid.NewGuid():N}.log");

    public void Dispose()
    {
        File.Delete(_path);
        File.Delete(_path + ".1");
    }

    [Fact]
    public void A_text_line_is_gunicorns_with_the_pid_and_unquoted_values()
    {
        using (ErrorLog log = ErrorLog.Open(_path, LogLevel.Info, json: false, workerId: 1))
        {
            log.Info("Listening at: {url} ({pid})", "http://127.0.0.1:8000", 42);
            log.Debug("not written at info");
        }

        string line = File.ReadAllLines(_path).Should().ContainSingle().Subject;
        line.Should().MatchRegex($@"^\[\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\] \[{Environment.ProcessId}\] \[INFO\] Listening at: http://127\.0\.0\.1:8000 \(42\)$");
    }

    [Fact]
    public void A_json_line_has_timestamp_level_pid_worker_id_message_and_the_values()
    {
        using (ErrorLog log = ErrorLog.Open(_path, LogLevel.Debug, json: true, workerId: 3))
        {
            log.Error(new InvalidOperationException("boom"), "Error handling request {method} {path}", "GET", "/x");
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllLines(_path).Should().ContainSingle().Subject);
        JsonElement root = json.RootElement;
        root.GetProperty("timestamp").GetDateTime().Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        root.GetProperty("level").GetString().Should().Be("error");
        root.GetProperty("pid").GetInt32().Should().Be(Environment.ProcessId);
        root.GetProperty("worker_id").GetInt32().Should().Be(3);
        root.GetProperty("message").GetString().Should().Be("Error handling request GET /x");
        root.GetProperty("exception").GetString().Should().Contain("boom");
        root.GetProperty("method").GetString().Should().Be("GET");
        root.GetProperty("path").GetString().Should().Be("/x");
    }

    [Fact]
    public void Reopen_sends_new_lines_to_a_new_file_after_the_old_one_was_moved()
    {
        using ErrorLog log = ErrorLog.Open(_path, LogLevel.Info, json: false, workerId: null);
        log.Info("before");
        File.Move(_path, _path + ".1");
        log.Info("still the old file");

        log.Reopen();
        log.Info("after");

        File.ReadAllText(_path + ".1").Should().Contain("before").And.Contain("still the old file").And.NotContain("after");
        File.ReadAllText(_path).Should().Contain("after").And.NotContain("before");
    }

    [Fact]
    public void Lines_from_many_threads_never_interleave()
    {
        using (ErrorLog log = ErrorLog.Open(_path, LogLevel.Info, json: false, workerId: null))
        {
            Parallel.For(0, 2000, i => log.Info("line {n} {padding}", i, new string('x', i % 300)));
        }

        string[] lines = File.ReadAllLines(_path);
        lines.Should().HaveCount(2000).And.OnlyContain(l => l.StartsWith('[') && l.Contains("[INFO] line ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_log_file_in_a_missing_directory_cannot_be_opened()
    {
        Action open = () => ErrorLog.Open("/nonexistent-dir/x.log", LogLevel.Info, json: false, workerId: null);

        open.Should().Throw<IOException>().WithMessage("cannot open log file /nonexistent-dir/x.log: *");
    }
}
