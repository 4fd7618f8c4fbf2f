using System.Globalization;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;
using GatewayServer.IntegrationTests.Operations;

namespace GatewayServer.IntegrationTests.WebSockets;

/// <summary>
/// Open WebSockets through the worker's life: a graceful stop and a reload wait for them (up to
/// --graceful-timeout, then close them), --max-requests retirement does not cut them, and the
/// worker metrics count them.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed partial class WebSocketLifetimeTests
{
    private static readonly string ChatApp = RepositoryLayout.Sample("ChatApp") + ":App";

    [Fact]
    public async Task TERM_waits_for_an_open_WebSocket_which_closes_when_the_client_is_done()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 1, "--graceful-timeout", "60");
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/stop");
        await socket.ReceiveTextAsync();

        server.Signal(ProcessSignals.Term);
        await server.WaitForLineAsync(l => l.Contains("Handling signal: term", StringComparison.Ordinal));
        await socket.SendTextAsync("after TERM");
        (await socket.ReceiveTextAsync()).Should().Be("after TERM");
        server.HasExited.Should().BeFalse("the stop waits for the open WebSocket");

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        stopped.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the drain ends when the last WebSocket closes, not at the 60 s graceful timeout");
        server.Output.Should().NotContain("Graceful timeout");
    }

    [Fact]
    public async Task TERM_closes_a_WebSocket_still_open_at_the_graceful_timeout()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 1, "--graceful-timeout", "3");
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/echo");

        server.Signal(ProcessSignals.Term);
        await server.WaitForLineAsync(l => l.Contains("Handling signal: term", StringComparison.Ordinal));
        await socket.SendTextAsync("still served");
        (await socket.ReceiveTextAsync()).Should().Be("still served");

        // The worker gives up on it at the timeout: the client sees the connection end.
        Func<Task> ended = () => socket.ReceiveMessageAsync();
        await ended.Should().ThrowAsync<WebSocketException>();
        await server.WaitForLineAsync(l => l.Contains("Graceful timeout (3s) reached with 1 connections open", StringComparison.Ordinal));
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task HUP_leaves_open_WebSockets_with_their_old_worker_which_exits_once_they_close()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 2, "--graceful-timeout", "60");
        using ClientWebSocket old = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/reload");
        int oldPid = WorkerOf(await old.ReceiveTextAsync());

        server.Signal(ProcessSignals.Hup);
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await server.WaitForLineAsync(l => l.Contains($"Stopping worker {oldPid} ", StringComparison.Ordinal));

        await old.SendTextAsync("from the old generation");
        (await old.ReceiveTextAsync()).Should().Be("from the old generation");
        server.WorkerPids().Should().Contain(oldPid, "a retiring worker drains its WebSockets");

        await old.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        (await Eventually.TrueAsync(() => !server.WorkerPids().Contains(oldPid), TimeSpan.FromSeconds(30))).Should().BeTrue(server.Output);
        using ClientWebSocket fresh = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/reload");
        WorkerOf(await fresh.ReceiveTextAsync()).Should().NotBe(oldPid);
        await fresh.SendTextAsync("from the new generation");
        (await fresh.ReceiveTextAsync()).Should().Be("from the new generation");
    }

    [Fact]
    public async Task Max_requests_retirement_waits_for_the_WebSockets_open_on_the_worker()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 1, "--max-requests", "3", "--graceful-timeout", "60");
        using ClientWebSocket first = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/retire");
        using ClientWebSocket second = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/retire");
        int pid = WorkerOf(await first.ReceiveTextAsync());
        await second.ReceiveTextAsync();

        // The third request reaches --max-requests: the worker retires and a successor boots.
        using (HttpClient client = new() { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") })
        {
            (await client.GetAsync("/")).EnsureSuccessStatusCode();
        }

        await server.WaitForReadyWorkersAsync(2, TimeSpan.FromSeconds(60));
        await first.SendTextAsync("retiring");
        (await first.ReceiveTextAsync()).Should().Be("retiring");
        (await second.ReceiveTextAsync()).Should().Be("retiring", "both are in the same room of the retiring worker");
        server.WorkerPids().Should().Contain(pid);

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await second.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        (await Eventually.TrueAsync(() => !server.WorkerPids().Contains(pid), TimeSpan.FromSeconds(30))).Should().BeTrue(server.Output);
    }

    [Fact]
    public async Task The_worker_metrics_count_upgraded_connections_while_they_are_open()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 2, "--metrics-bind", "127.0.0.1:0");
        string line = await server.WaitForLineAsync(l => l.Contains("Metrics and health at: ", StringComparison.Ordinal));
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort().Match(line).Groups[1].Value}") };
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                sockets.Add(await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/echo"));
            }

            (await OperationsServer.EventuallyAsync(async () => OperationsServer.Sum(await metrics.GetStringAsync("/metrics"), "gwserve_connections_upgraded") == 3))
                .Should().BeTrue(server.Output);

            await Task.WhenAll(sockets.Select(s => s.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)));
            (await OperationsServer.EventuallyAsync(async () => OperationsServer.Sum(await metrics.GetStringAsync("/metrics"), "gwserve_connections_upgraded") == 0))
                .Should().BeTrue(server.Output);
        }
        finally
        {
            foreach (ClientWebSocket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>The worker pid in a room's welcome, "joined NAME (worker PID)".</summary>
    private static int WorkerOf(string welcome) =>
        int.Parse(welcome[(welcome.LastIndexOf(' ') + 1)..^1], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Metrics and health at: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex MetricsPort();
}
