using System.Net.Sockets;
using GatewayServer.Engine;
using GatewayServer.Gateway;
using GatewayServer.Http;

namespace GatewayServer.Tests.Engine;

/// <summary>
/// The worker starts each connection without awaiting it and counts on it to leave the registry
/// itself: however the connection ends, RunAsync completes without a fault and calls
/// <see cref="EngineContext.ConnectionClosed"/>.
/// </summary>
public sealed class HttpConnectionLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly RecordingLog _log = new();
    private readonly TaskCompletionSource<HttpConnection> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task A_connection_the_client_closes_reports_its_close_and_logs_nothing()
    {
        using var pair = SocketPair.Open();
        var connection = new HttpConnection(pair.Server, Context(onFirstRequest: null));

        Task run = connection.RunAsync();
        pair.Client.Shutdown(SocketShutdown.Send);

        await run.WaitAsync(Patience);
        (await _closed.Task.WaitAsync(Patience)).Should().BeSameAs(connection);
        _log.Failures.Should().BeEmpty();
    }

    [Fact]
    public async Task A_fault_of_the_servers_own_is_logged_and_the_connection_still_reports_its_close()
    {
        using var pair = SocketPair.Open();
        var connection = new HttpConnection(pair.Server, Context(onFirstRequest: () => throw new InvalidOperationException("fault")));

        Task run = connection.RunAsync();
        await pair.Client.SendAsync("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"u8.ToArray(), SocketFlags.None);

        await run.WaitAsync(Patience);
        run.IsCompletedSuccessfully.Should().BeTrue();
        (await _closed.Task.WaitAsync(Patience)).Should().BeSameAs(connection);
        _log.Failures.Should().ContainSingle().Which.Message.Should().Be("fault");
    }

    [Fact]
    public async Task A_connection_the_sweep_finds_idle_past_its_head_timeout_closes_without_a_word()
    {
        using var pair = SocketPair.Open();
        var connection = new HttpConnection(pair.Server, Context(onFirstRequest: null));

        // RunAsync returns at its first wait: the idle wait for the first head, already timed.
        Task run = connection.RunAsync();
        connection.CheckTimeout(Environment.TickCount64 + (long)TimeSpan.FromMinutes(1).TotalMilliseconds);

        await run.WaitAsync(Patience);
        (await _closed.Task.WaitAsync(Patience)).Should().BeSameAs(connection);
        (await pair.Client.ReceiveAsync(new byte[64], SocketFlags.None).WaitAsync(Patience)).Should().Be(0, "nothing of a request came, so nothing is answered");
        _log.Failures.Should().BeEmpty();
    }

    /// <summary>A context whose request limit is the first request, so <paramref name="onFirstRequest"/> runs inside the connection's loop.</summary>
    private EngineContext Context(Action? onFirstRequest) =>
        new(new GatewayAppModel(new EmptyApp(), _log), new HttpLimits(), TimeProvider.System, _log)
        {
            RequestLimit = 1,
            RequestLimitReached = onFirstRequest,
            ConnectionClosed = connection => _closed.TrySetResult(connection),
        };

    private sealed class EmptyApp : IGatewayApplication
    {
        public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
        {
            startResponse("204 No Content", []);
            return [];
        }
    }

    private sealed class RecordingLog : IServerLog
    {
        public List<Exception> Failures { get; } = [];

        public void AppError(string method, string target, Exception error) => Failures.Add(error);

        public void AppResponseError(string detail) => Failures.Add(new InvalidOperationException(detail));

        public void BadRequest(string remote, int status, string reason)
        {
        }

        public void ConnectionError(Exception error)
        {
        }

        public void ConnectionFailed(Exception error) => Failures.Add(error);

        public void AppMessage(string line)
        {
        }
    }
}
