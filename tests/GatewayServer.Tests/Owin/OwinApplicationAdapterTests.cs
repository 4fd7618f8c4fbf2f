using System.Text;
using GatewayServer.Owin;

namespace GatewayServer.Tests.Owin;

public sealed class OwinApplicationAdapterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Request_keys_are_mapped_from_the_environ()
    {
        IDictionary<string, object>? seen = null;
        var input = new MemoryStream("hi"u8.ToArray());
        var errors = new StringWriter();
        using var aborted = new CancellationTokenSource();
        Dictionary<string, object?> environ = Environ(input, aborted.Token, errors);
        environ["HTTP_USER_AGENT"] = "test/1";
        environ["HTTP_X_FORWARDED_FOR"] = "10.0.0.1, 10.0.0.2";
        environ[EnvironKeys.ContentType] = "text/plain";
        environ[EnvironKeys.ContentLength] = "2";

        await RunAsync(new OwinApplicationAdapter(env =>
        {
            seen = env;
            return Task.CompletedTask;
        }), environ);

        seen!["owin.Version"].Should().Be("1.0");
        seen["owin.RequestMethod"].Should().Be("POST");
        seen["owin.RequestScheme"].Should().Be("http");
        seen["owin.RequestPathBase"].Should().Be("/base");
        seen["owin.RequestPath"].Should().Be("/a b");
        seen["owin.RequestQueryString"].Should().Be("x=1");
        seen["owin.RequestProtocol"].Should().Be("HTTP/1.1");
        seen["owin.RequestBody"].Should().BeSameAs(input);
        seen["server.RemoteIpAddress"].Should().Be("127.0.0.1");
        seen["server.RemotePort"].Should().Be("50000");
        seen["server.IsLocal"].Should().Be(true);
        seen["host.TraceOutput"].Should().BeSameAs(errors);
        var headers = (IDictionary<string, string[]>)seen["owin.RequestHeaders"];
        headers["User-Agent"].Should().Equal("test/1");
        headers["user-agent"].Should().Equal("test/1");
        headers["X-Forwarded-For"].Should().Equal("10.0.0.1, 10.0.0.2");
        headers["Content-Type"].Should().Equal("text/plain");
        headers["Content-Length"].Should().Equal("2");
        headers.Keys.Should().BeEquivalentTo("Host", "User-Agent", "X-Forwarded-For", "Content-Type", "Content-Length");
        seen["owin.ResponseHeaders"].Should().BeAssignableTo<IDictionary<string, string[]>>();
        seen["owin.ResponseBody"].Should().BeAssignableTo<Stream>().Which.CanWrite.Should().BeTrue();
    }

    [Fact]
    public async Task Status_reason_phrase_and_every_header_value_map_back_to_the_response()
    {
        var recorder = new StartResponseRecorder();
        await RunAsync(new OwinApplicationAdapter(env =>
        {
            env["owin.ResponseStatusCode"] = 201;
            var headers = (IDictionary<string, string[]>)env["owin.ResponseHeaders"];
            headers["Set-Cookie"] = ["a=1", "b=2"];
            headers["Content-Type"] = ["text/plain"];
            headers["Transfer-Encoding"] = ["chunked"];
            return Task.CompletedTask;
        }), Environ(), recorder);

        recorder.Status.Should().Be("201 Created");
        recorder.Headers.Select(h => $"{h.Key}: {h.Value}").Should().Equal("Set-Cookie: a=1", "Set-Cookie: b=2", "Content-Type: text/plain");

        var custom = new StartResponseRecorder();
        await RunAsync(new OwinApplicationAdapter(env =>
        {
            env["owin.ResponseStatusCode"] = 299;
            env["owin.ResponseReasonPhrase"] = "Fine Indeed";
            return Task.CompletedTask;
        }), Environ(), custom);
        custom.Status.Should().Be("299 Fine Indeed");
    }

    [Fact]
    public async Task The_first_write_reaches_the_server_before_the_app_completes()
    {
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new StartResponseRecorder();
        var adapter = new OwinApplicationAdapter(async env =>
        {
            var body = (Stream)env["owin.ResponseBody"];
            await body.WriteAsync("first"u8.ToArray());
            await second.Task;
            await body.WriteAsync("second"u8.ToArray());
        });

        await using IAsyncEnumerator<ReadOnlyMemory<byte>> chunks = adapter.InvokeAsync(Environ(), recorder.StartResponse).GetAsyncEnumerator();
        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeTrue();
        Encoding.ASCII.GetString(chunks.Current.Span).Should().Be("first");
        recorder.Status.Should().Be("200 OK", "the head is fixed with the first write");

        second.SetResult();
        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeTrue();
        Encoding.ASCII.GetString(chunks.Current.Span).Should().Be("second");
        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeFalse();
    }

    [Fact]
    public async Task A_write_completes_only_once_the_server_asks_for_the_next_chunk()
    {
        Task? write = null;
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var adapter = new OwinApplicationAdapter(async env =>
        {
            write = ((Stream)env["owin.ResponseBody"]).WriteAsync("data"u8.ToArray()).AsTask();
            written.SetResult();
            await write;
        });

        await using IAsyncEnumerator<ReadOnlyMemory<byte>> chunks = adapter.InvokeAsync(Environ(), new StartResponseRecorder().StartResponse).GetAsyncEnumerator();
        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeTrue();
        await written.Task.WaitAsync(Wait);
        write!.IsCompleted.Should().BeFalse("the server has not sent the chunk yet");

        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeFalse();
        write.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task Synchronous_writes_are_served_in_order()
    {
        var adapter = new OwinApplicationAdapter(env =>
        {
            var body = (Stream)env["owin.ResponseBody"];
            body.Write("one,"u8);
            body.Write("two,"u8.ToArray(), 0, 4);
            body.WriteByte((byte)'!');
            return Task.CompletedTask;
        });

        List<string> chunks = await RunAsync(adapter, Environ());
        string.Concat(chunks).Should().Be("one,two,!");
    }

    [Fact]
    public async Task An_app_that_writes_nothing_is_answered_when_its_task_completes()
    {
        var recorder = new StartResponseRecorder();
        List<string> chunks = await RunAsync(new OwinApplicationAdapter(async env =>
        {
            await Task.Yield();
            env["owin.ResponseStatusCode"] = 204;
        }), Environ(), recorder);

        chunks.Should().BeEmpty();
        recorder.Status.Should().Be("204 No Content");
    }

    [Fact]
    public async Task An_exception_before_the_first_write_comes_out_of_the_body()
    {
        var recorder = new StartResponseRecorder();
        Func<Task> run = () => RunAsync(new OwinApplicationAdapter(_ => throw new InvalidOperationException("boom")), Environ(), recorder);

        await run.Should().ThrowAsync<InvalidOperationException>().WithMessage("boom");
        recorder.Status.Should().BeNull();
    }

    [Fact]
    public async Task OnSendingHeaders_callbacks_run_last_registered_first_and_may_still_change_the_head()
    {
        var recorder = new StartResponseRecorder();
        var order = new List<string>();
        await RunAsync(new OwinApplicationAdapter(async env =>
        {
            var register = (Action<Action<object>, object>)env["server.OnSendingHeaders"];
            register(state => order.Add((string)state), "first");
            register(state =>
            {
                order.Add((string)state);
                ((IDictionary<string, string[]>)env["owin.ResponseHeaders"])["X-Added"] = ["yes"];
            }, "second");
            await ((Stream)env["owin.ResponseBody"]).WriteAsync("x"u8.ToArray());
            Action late = () => register(_ => { }, "late");
            late.Should().Throw<InvalidOperationException>();
        }), Environ(), recorder);

        order.Should().Equal("second", "first");
        recorder.Headers.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, string>("X-Added", "yes"));
    }

    [Fact]
    public async Task Abandoning_the_response_cancels_CallCancelled_and_fails_the_pending_write()
    {
        var outcome = new TaskCompletionSource<(bool Cancelled, Exception? Error)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var adapter = new OwinApplicationAdapter(async env =>
        {
            var body = (Stream)env["owin.ResponseBody"];
            var cancelled = (CancellationToken)env["owin.CallCancelled"];
            await body.WriteAsync("first"u8.ToArray());
            try
            {
                await body.WriteAsync("second"u8.ToArray());
                outcome.SetResult((cancelled.IsCancellationRequested, null));
            }
            catch (IOException error)
            {
                outcome.SetResult((cancelled.IsCancellationRequested, error));
            }
        });

        IAsyncEnumerator<ReadOnlyMemory<byte>> chunks = adapter.InvokeAsync(Environ(), new StartResponseRecorder().StartResponse).GetAsyncEnumerator();
        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeTrue();
        (await chunks.MoveNextAsync().AsTask().WaitAsync(Wait)).Should().BeTrue();
        await chunks.DisposeAsync().AsTask().WaitAsync(Wait);

        (bool cancelledSeen, Exception? error) = await outcome.Task.WaitAsync(Wait);
        error.Should().BeOfType<IOException>();
        cancelledSeen.Should().BeTrue();
    }

    private static Dictionary<string, object?> Environ(Stream? input = null, CancellationToken aborted = default, TextWriter? errors = null) => new(StringComparer.Ordinal)
    {
        [EnvironKeys.RequestMethod] = "POST",
        [EnvironKeys.ScriptName] = "/base",
        [EnvironKeys.PathInfo] = "/a b",
        [EnvironKeys.QueryString] = "x=1",
        [EnvironKeys.ServerProtocol] = "HTTP/1.1",
        [EnvironKeys.UrlScheme] = "http",
        [EnvironKeys.RemoteAddr] = "127.0.0.1",
        [EnvironKeys.RemotePort] = "50000",
        [EnvironKeys.Input] = input ?? Stream.Null,
        [EnvironKeys.Errors] = errors ?? TextWriter.Null,
        [EnvironKeys.RequestAborted] = aborted,
        ["HTTP_HOST"] = "localhost",
    };

    private static async Task<List<string>> RunAsync(IAsyncGatewayApplication app, Dictionary<string, object?> environ, StartResponseRecorder? recorder = null)
    {
        var chunks = new List<string>();
        await foreach (ReadOnlyMemory<byte> chunk in app.InvokeAsync(environ, (recorder ?? new StartResponseRecorder()).StartResponse))
        {
            chunks.Add(Encoding.ASCII.GetString(chunk.Span));
        }

        return chunks;
    }

    private sealed class StartResponseRecorder
    {
        public StartResponseRecorder()
        {
            StartResponse = (status, headers, _) =>
            {
                Status = status;
                Headers = headers;
            };
        }

        public StartResponse StartResponse { get; }

        public string? Status { get; private set; }

        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; } = [];
    }
}
