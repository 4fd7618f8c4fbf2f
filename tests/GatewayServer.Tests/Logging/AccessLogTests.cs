using System.Net;
using System.Text;
using System.Text.Json;
using GatewayServer.Http;
using GatewayServer.Logging;

namespace GatewayServer.Tests.Logging;

public sealed class AccessLogTests
{
    private static readonly ManualTimeProvider Clock = new(
        new DateTimeOffset(2000, 10, 10, 20, 55, 36, TimeSpan.Zero),
        TimeZoneInfo.CreateCustomTimeZone("minus7", TimeSpan.FromHours(-7), "minus7", "minus7"));

    private static RequestHead Parse(string request)
    {
        var head = new RequestHead();
        new HttpRequestParser(new HttpLimits()).TryParseHead(Encoding.Latin1.GetBytes(request), head, out _).Should().BeTrue();
        return head;
    }

    private static string Format(string? format, string request, byte[]? requestId = null)
    {
        using AccessLog log = AccessLog.Create(LogFile.StandardOutput(), format, Clock, workerId: 2);
        return log.Format(new AccessLogEntry
        {
            Head = Parse(request),
            Remote = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50000),
            Status = 404,
            Bytes = 1234,
            ResponseHeaders = [new("Content-Type", "text/html"), new("X-Trace", "a\"b")],
            StartTimestamp = 0,
            EndTimestamp = 1_500_250,
            RequestId = requestId ?? [],
        });
    }

    private const string Request = "POST /a/b?x=1&y=2 HTTP/1.1\r\nHost: example\r\nReferer: http://ref/\r\nUser-Agent: curl/8\r\nX-Custom: \xe9ok\r\n\r\n";

    [Fact]
    public void The_default_format_is_the_combined_log_format()
    {
        Format(AccessLogFormat.Default, Request).Should().Be(
            "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"POST /a/b?x=1&y=2 HTTP/1.1\" 404 1234 \"http://ref/\" \"curl/8\"");
    }

    [Theory]
    [InlineData("%(h)s", "192.0.2.7")]
    [InlineData("%(l)s %(u)s", "- -")]
    [InlineData("%(m)s %(U)s %(q)s %(H)s", "POST /a/b x=1&y=2 HTTP/1.1")]
    [InlineData("%(s)s %(B)s %(b)s", "404 1234 1234")]
    [InlineData("%(T)s %(M)s %(D)s %(L)s", "1 1500 1500250 1.500250")]
    [InlineData("%({content-type}o)s %({X-TRACE}o)s %({missing}o)s", "text/html a\\x22b -")]
    [InlineData("%({user-agent}i)s %({x-custom}i)s %({missing}i)s", "curl/8 \\xe9ok -")]
    [InlineData("100%% %(s)s", "100% 404")]
    public void Each_token_formats_like_gunicorn(string format, string expected)
    {
        Format(format, Request).Should().Be(expected);
    }

    [Fact]
    public void The_pid_token_is_in_angle_brackets()
    {
        Format("%(p)s", Request).Should().Be($"<{Environment.ProcessId}>");
    }

    [Fact]
    public void The_request_id_is_the_x_request_id_response_header()
    {
        Format("%({x-request-id}o)s", Request, "abc"u8.ToArray()).Should().Be("abc");
    }

    [Fact]
    public void A_json_line_has_the_documented_fields()
    {
        string line = Format(null, Request, "abc"u8.ToArray());

        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        root.GetProperty("timestamp").GetDateTime().Should().Be(new DateTime(2000, 10, 10, 20, 55, 36, DateTimeKind.Utc));
        root.GetProperty("level").GetString().Should().Be("info");
        root.GetProperty("pid").GetInt32().Should().Be(Environment.ProcessId);
        root.GetProperty("worker_id").GetInt32().Should().Be(2);
        root.GetProperty("request_id").GetString().Should().Be("abc");
        root.GetProperty("remote_addr").GetString().Should().Be("192.0.2.7");
        root.GetProperty("method").GetString().Should().Be("POST");
        root.GetProperty("path").GetString().Should().Be("/a/b");
        root.GetProperty("query").GetString().Should().Be("x=1&y=2");
        root.GetProperty("protocol").GetString().Should().Be("HTTP/1.1");
        root.GetProperty("status").GetInt32().Should().Be(404);
        root.GetProperty("bytes").GetInt64().Should().Be(1234);
        root.GetProperty("duration").GetDouble().Should().Be(1.50025);
        root.GetProperty("referer").GetString().Should().Be("http://ref/");
        root.GetProperty("user_agent").GetString().Should().Be("curl/8");
    }

    [Fact]
    public void Formatting_a_line_allocates_almost_nothing()
    {
        string path = Path.GetTempFileName();
        try
        {
            using AccessLog log = AccessLog.Open(path, AccessLogFormat.Default, json: false, Clock, workerId: 1);
            RequestHead head = Parse(Request);
            void LogOnce() => log.Log(new AccessLogEntry { Head = head, Remote = new IPEndPoint(IPAddress.Loopback, 1), Status = 200, Bytes = 5 });
            LogOnce();

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                LogOnce();
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(100 * 100, "a line is formatted into a reused buffer");
            File.ReadAllLines(path).Should().HaveCount(101);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
