using System.Net.Sockets;
using System.Text;
using GatewayServer.Engine;
using GatewayServer.Http;
using GatewayServer.Owin;
using GatewayServer.Transport;
using GatewayServer.Tests.Engine;

namespace GatewayServer.Tests.Owin;

/// <summary>
/// The OWIN app model on a real connection (a loopback socket pair): the environment filled from
/// the request head, the response keys framed by the engine, and a body held for a Content-Length
/// or streamed as the app writes it.
/// </summary>
public sealed class OwinExchangeHandlerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Request_keys_are_filled_from_the_request_head()
    {
        Dictionary<string, object>? seen = null;
        string? body = null;
        string response = await ServeAsync(
            async env =>
            {
                seen = new Dictionary<string, object>(env);
                seen["owin.RequestHeaders"] = new Dictionary<string, string[]>((IDictionary<string, string[]>)env["owin.RequestHeaders"], StringComparer.OrdinalIgnoreCase);
                body = await new StreamReader((Stream)env["owin.RequestBody"]).ReadToEndAsync();
            },
            "POST /base/a%20b?x=1 HTTP/1.1\r\nHost: localhost\r\nuser-agent: test/1\r\nX-Thing: a\r\nX-Thing: b\r\nCookie: c=1\r\nCookie: d=2\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
            scriptName: "/base");

        response.Should().StartWith("HTTP/1.1 200 OK\r\n");
        seen!["owin.Version"].Should().Be("1.0");
        seen["owin.RequestMethod"].Should().Be("POST");
        seen["owin.RequestScheme"].Should().Be("http");
        seen["owin.RequestPathBase"].Should().Be("/base");
        seen["owin.RequestPath"].Should().Be("/a b");
        seen["owin.RequestQueryString"].Should().Be("x=1");
        seen["owin.RequestProtocol"].Should().Be("HTTP/1.1");
        seen["server.RemoteIpAddress"].Should().Be("127.0.0.1");
        seen["server.LocalIpAddress"].Should().Be("127.0.0.1");
        seen["server.IsLocal"].Should().Be(true);
        ((CancellationToken)seen["owin.CallCancelled"]).CanBeCanceled.Should().BeTrue();
        seen["host.TraceOutput"].Should().BeAssignableTo<TextWriter>();
        body.Should().Be("hi");
        var headers = (IDictionary<string, string[]>)seen["owin.RequestHeaders"];
        headers["User-Agent"].Should().Equal("test/1");
        headers["user-agent"].Should().Equal("test/1");
        headers["X-Thing"].Should().Equal("a, b");
        headers["Cookie"].Should().Equal("c=1; d=2");
        headers.Keys.Should().BeEquivalentTo("Host", "User-Agent", "X-Thing", "Cookie", "Content-Type", "Content-Length", "Connection");
    }

    [Fact]
    public async Task Status_reason_phrase_and_every_header_value_map_back_to_the_response()
    {
        string response = await ServeAsync(
            env =>
            {
                env["owin.ResponseStatusCode"] = 299;
                env["owin.ResponseReasonPhrase"] = "Fine Indeed";
                var headers = (IDictionary<string, string[]>)env["owin.ResponseHeaders"];
                headers["Set-Cookie"] = ["a=1", "b=2"];
                headers["Transfer-Encoding"] = ["chunked"];
                return Task.CompletedTask;
            },
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        response.Should().StartWith("HTTP/1.1 299 Fine Indeed\r\n");
        response.Should().Contain("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n");
        response.Should().NotContain("chunked", "the server frames the body; the app's Transfer-Encoding is left out");
    }

    [Fact]
    public async Task A_response_the_app_ends_without_waiting_gets_a_Content_Length()
    {
        string response = await ServeAsync(
            env =>
            {
                var body = (Stream)env["owin.ResponseBody"];
                body.Write("one,"u8);
                body.Write("two,"u8.ToArray(), 0, 4);
                body.WriteByte((byte)'!');
                return Task.CompletedTask;
            },
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        response.Should().Contain("Content-Length: 9\r\n").And.EndWith("\r\n\r\none,two,!");
    }

    [Fact]
    public async Task Synchronous_writes_past_what_is_held_for_a_Content_Length_arrive_whole_and_in_order_chunked()
    {
        // Each write is larger than the direct-write threshold, so the framer must take it in one piece without sending it on its own.
        string[] parts = ["a", "b", "c"];
        int size = ConnectionOutput.DirectWriteThreshold * 2;
        string response = await ServeAsync(
            env =>
            {
                var body = (Stream)env["owin.ResponseBody"];
                foreach (string part in parts)
                {
                    body.Write(Encoding.ASCII.GetBytes(new string(part[0], size)));
                }

                return Task.CompletedTask;
            },
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        response.Should().Contain("Transfer-Encoding: chunked\r\n");
        string body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        string chunkSize = size.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        string expected = string.Concat(parts.Select(part => $"{chunkSize}\r\n{new string(part[0], size)}\r\n")) + "0\r\n\r\n";
        body.Should().Be(expected);
    }

    [Fact]
    public async Task The_first_write_reaches_the_client_while_the_app_still_runs()
    {
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pair = SocketPair.Open();
        Task run = Start(pair, async env =>
        {
            var body = (Stream)env["owin.ResponseBody"];
            await body.WriteAsync("first"u8.ToArray());
            await second.Task;
            await body.WriteAsync("second"u8.ToArray());
        });
        await pair.Client.SendAsync("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);

        string start = await ReadUntilAsync(pair.Client, "first");
        start.Should().Contain("Transfer-Encoding: chunked\r\n");
        second.SetResult();
        string rest = await ReadToEndAsync(pair.Client);
        rest.Should().Contain("second").And.EndWith("0\r\n\r\n");
        await run.WaitAsync(Wait);
    }

    [Fact]
    public async Task An_app_that_writes_nothing_is_answered_when_its_task_completes()
    {
        string response = await ServeAsync(
            async env =>
            {
                await Task.Yield();
                env["owin.ResponseStatusCode"] = 204;
            },
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        response.Should().StartWith("HTTP/1.1 204 No Content\r\n");
    }

    [Fact]
    public async Task An_exception_before_the_first_write_is_answered_500()
    {
        string response = await ServeAsync(
            env =>
            {
                ((Stream)env["owin.ResponseBody"]).Write("lost"u8);
                throw new InvalidOperationException("boom");
            },
            "GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        response.Should().StartWith("HTTP/1.1 500 Internal Server Error\r\n").And.NotContain("lost");
    }

    [Fact]
    public async Task OnSendingHeaders_callbacks_run_last_registered_first_and_may_still_change_the_head()
    {
        var order = new List<string>();
        bool lateRefused = false;
        string response = await ServeAsync(
            async env =>
            {
                var register = (Action<Action<object>, object>)env["server.OnSendingHeaders"];
                register(state => order.Add((string)state), "first");
                register(
                    state =>
                    {
                        order.Add((string)state);
                        ((IDictionary<string, string[]>)env["owin.ResponseHeaders"])["X-Added"] = ["yes"];
                    },
                    "second");
                await Task.Yield();
                await ((Stream)env["owin.ResponseBody"]).WriteAsync("x"u8.ToArray());
                try
                {
                    register(_ => { }, "late");
                }
                catch (InvalidOperationException)
                {
                    lateRefused = true;
                }
            },
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        order.Should().Equal("second", "first");
        response.Should().Contain("X-Added: yes\r\n");
        lateRefused.Should().BeTrue();
    }

    [Fact]
    public async Task Each_request_of_a_connection_starts_from_a_clean_environment()
    {
        var seen = new List<(bool HadMark, int ResponseHeaders)>();
        string responses = await ServeAsync(
            env =>
            {
                seen.Add((env.ContainsKey("test.mark"), ((IDictionary<string, string[]>)env["owin.ResponseHeaders"]).Count));
                env["test.mark"] = true;
                ((IDictionary<string, string[]>)env["owin.ResponseHeaders"])["X-Once"] = ["1"];
                env["owin.ResponseStatusCode"] = 202;
                return Task.CompletedTask;
            },
            "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        seen.Should().Equal((false, 0), (false, 0));
        responses.Split("HTTP/1.1 202 Accepted").Should().HaveCount(3);
    }

    [Fact]
    public async Task A_request_header_array_the_app_changed_is_not_handed_to_the_next_request()
    {
        var hosts = new List<string>();
        await ServeAsync(
            env =>
            {
                string[] host = ((IDictionary<string, string[]>)env["owin.RequestHeaders"])["Host"];
                hosts.Add(host[0]);
                host[0] = "changed";
                return Task.CompletedTask;
            },
            "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n");

        hosts.Should().Equal("h", "h", "other");
    }

    private static async Task<string> ServeAsync(Func<IDictionary<string, object>, Task> app, string request, string scriptName = "")
    {
        using var pair = SocketPair.Open();
        Task run = Start(pair, app, scriptName);
        await pair.Client.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        string response = await ReadToEndAsync(pair.Client);
        await run.WaitAsync(Wait);
        return response;
    }

    private static Task Start(SocketPair pair, Func<IDictionary<string, object>, Task> app, string scriptName = "")
    {
        var log = new SilentLog();
        var context = new EngineContext(new OwinAppModel(app, log), new HttpLimits(), TimeProvider.System, log) { ScriptName = scriptName };
        return new HttpConnection(pair.Server, context).RunAsync();
    }

    private static async Task<string> ReadUntilAsync(Socket socket, string marker)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Wait);
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            read.Should().BePositive("the server sends the marker before closing");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Wait);
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private sealed class SilentLog : IServerLog
    {
        public void AppError(string method, string target, Exception error)
        {
        }

        public void AppResponseError(string detail)
        {
        }

        public void BadRequest(string remote, int status, string reason)
        {
        }

        public void ConnectionError(Exception error)
        {
        }

        public void ConnectionFailed(Exception error)
        {
        }

        public void AppMessage(string line)
        {
        }
    }
}
