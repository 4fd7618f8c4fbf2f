using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

public sealed class ShutdownTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task SIGTERM_during_a_slow_request_lets_it_complete_and_the_master_exits_0_within_the_graceful_timeout()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1, "--graceful-timeout", "8");
        IReadOnlyList<int> workers = server.WorkerPids();
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /sleep?ms=1500 HTTP/1.1\r\nHost: h\r\n\r\n");
        await server.WaitForLineAsync(l => l.Contains("sleeping 1500 ms", StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        server.Signal(ProcessSignals.Term);
        RawResponse response = await connection.ReadResponseAsync();
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(8));

        response.StatusLine.Should().Be("HTTP/1.1 200 OK");
        response.BodyText.Should().Be("slept 1500 ms");
        exitCode.Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        workers.Where(ProcessSignals.IsAlive).Should().BeEmpty();
        server.Output.Should().NotContain("did not stop in time");
    }

    [Fact]
    public async Task SIGTERM_with_a_request_longer_than_the_graceful_timeout_gives_up_on_it_and_exits_0_in_time()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1, "--graceful-timeout", "2");
        IReadOnlyList<int> workers = server.WorkerPids();
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /sleep?ms=20000 HTTP/1.1\r\nHost: h\r\n\r\n");
        await server.WaitForLineAsync(l => l.Contains("sleeping 20000 ms", StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        server.Signal(ProcessSignals.Term);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        TimeSpan stopped = clock.Elapsed;

        exitCode.Should().Be(0);
        stopped.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5), "in-flight requests get the graceful timeout");
        stopped.Should().BeLessThan(TimeSpan.FromSeconds(3), "the master exits within the graceful timeout (2 s), give or take a tick");
        (await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(2))).Should().BeTrue("the abandoned request gets no response");
        workers.Where(ProcessSignals.IsAlive).Should().BeEmpty();
    }

    [Theory]
    [InlineData(ProcessSignals.Int)]
    [InlineData(ProcessSignals.Quit)]
    public async Task Quick_shutdown_signal_exits_promptly_without_waiting_for_a_slow_request(int signal)
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 2, "--graceful-timeout", "30");
        IReadOnlyList<int> workers = server.WorkerPids();
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /sleep?ms=20000 HTTP/1.1\r\nHost: h\r\n\r\n");
        await server.WaitForLineAsync(l => l.Contains("sleeping 20000 ms", StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        server.Signal(signal);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(8));

        exitCode.Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "a quick shutdown does not wait for in-flight requests");
        workers.Where(ProcessSignals.IsAlive).Should().BeEmpty();
    }

    [Theory]
    [InlineData(ProcessSignals.Int)]
    [InlineData(ProcessSignals.Quit)]
    public async Task Quick_shutdown_signal_works_when_gwserve_was_started_as_a_background_job_with_it_ignored(int signal)
    {
        using GwserveProcess server = GwserveProcess.Launch([Behaviours, "--bind", "127.0.0.1:0", "--workers", "1"], interruptsIgnored: true);
        await server.WaitForReadyWorkersAsync(1);
        IReadOnlyList<int> workers = server.WorkerPids();

        server.Signal(signal);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(5));

        exitCode.Should().Be(0, "gwserve was asked to stop, however its parent set up the signal; output:\n{0}", server.Output);
        server.Output.Should().Contain($"Handling signal: {(signal == ProcessSignals.Int ? "int" : "quit")}");
        workers.Where(ProcessSignals.IsAlive).Should().BeEmpty();
    }

    [Fact]
    public async Task HUP_reloads_when_gwserve_was_started_with_it_ignored_as_nohup_does()
    {
        using GwserveProcess server = GwserveProcess.Launch([Behaviours, "--bind", "127.0.0.1:0", "--workers", "1"], interruptsIgnored: true);
        await server.WaitForReadyWorkersAsync(1);

        server.Signal(ProcessSignals.Hup);

        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        server.Signal(ProcessSignals.Term);
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, server.Output);
    }
}
