using System.Diagnostics;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Reload;

/// <summary>
/// Every way a worker retires, repeated under keep-alive load on 64 connections, with a client that
/// counts every request that fails, is reset or goes unanswered, and retries nothing (wrk's
/// semantics: only a response saying <c>Connection: close</c> ends a connection cleanly). Each step
/// waits for the master to say the previous one is done (a log line), never for a fixed time. Both
/// accept modes: one socket shared by all workers, and <c>--reuse-port</c> (one socket per slot).
/// </summary>
/// <remarks>
/// Each round boots a worker: under a second on a quiet 2-core machine, up to 6 s on one shared
/// with other builds. The 50 rounds issue 22 asks for are the default (a few minutes for the class
/// on a quiet machine); <c>GWSERVE_RETIREMENT_ROUNDS</c> sets fewer for a quick look or more for a
/// long run.
/// </remarks>
[Collection(MasterCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class RetirementUnderLoadTests
{
    private const int Connections = 64;

    private const string MigrateSysctl = "/proc/sys/net/ipv4/tcp_migrate_req";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private static int Rounds =>
        int.TryParse(Environment.GetEnvironmentVariable("GWSERVE_RETIREMENT_ROUNDS"), out int rounds) && rounds > 0 ? rounds : 50;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fifty_HUPs_in_a_row_under_keep_alive_load_lose_no_request(bool reusePort)
    {
        await RunUnderLoadAsync(reusePort, [], async server =>
        {
            for (int generation = 2; generation <= Rounds + 1; generation++)
            {
                server.Signal(ProcessSignals.Hup);
                await server.WaitForLineAsync(l => l.Contains($"Reload complete: generation {generation} ", StringComparison.Ordinal), StepTimeout);
            }

            return Rounds;
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fifty_TTOU_TTIN_pairs_under_keep_alive_load_lose_no_request(bool reusePort)
    {
        await RunUnderLoadAsync(reusePort, [], async server =>
        {
            for (int round = 1; round <= Rounds; round++)
            {
                server.Signal(ProcessSignals.Ttou);
                int stopped = 0;
                string stopping = await server.WaitForLineAsync(l => l.Contains("(fewer workers wanted)", StringComparison.Ordinal) && ++stopped == round, StepTimeout);
                string pid = StoppingPid().Match(stopping).Groups[1].Value;
                await server.WaitForLineAsync(l => l.Contains($"Worker exiting (pid: {pid})", StringComparison.Ordinal), StepTimeout);

                server.Signal(ProcessSignals.Ttin);
                await server.WaitForReadyWorkersAsync(2 + round, StepTimeout);
            }

            return Rounds;
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Max_requests_2000_recycling_under_keep_alive_load_loses_no_request(bool reusePort)
    {
        await RunUnderLoadAsync(reusePort, ["--max-requests", "2000"], async server =>
        {
            // Bounded by the number of recyclings rather than by a clock: each one is a full retirement.
            int recycled = 0;
            await server.WaitForLineAsync(l => l.Contains("(max-requests after ", StringComparison.Ordinal) && ++recycled >= Rounds / 2, StepTimeout * 2);
            return recycled;
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_USR2_hand_over_to_a_new_master_under_keep_alive_load_loses_no_request(bool reusePort)
    {
        int successor = 0;
        try
        {
            await RunUnderLoadAsync(reusePort, [], async server =>
            {
                server.Signal(ProcessSignals.Usr2);
                successor = await SuccessorMaster.AwaitPidAsync(server);
                await server.WaitForReadyWorkersAsync(4, StepTimeout);

                // Gunicorn's hand-over: the old master retires its workers and exits; the new one serves on.
                server.Signal(ProcessSignals.Term);
                await server.WaitForLineAsync(l => l.Contains("Shutting down: Master", StringComparison.Ordinal), StepTimeout);
                (await Eventually.TrueAsync(() => server.HasExited)).Should().BeTrue();
                // Checked here, under the load: once the old master's GwserveProcess is disposed it kills
                // every worker its output named, the successor's among them (which the successor then respawns).
                GwserveProcess.ChildrenOf(successor).Should().HaveCount(2, "the new master serves on with its own workers");
                return 2;
            }, masterStays: false);
        }
        finally
        {
            SuccessorMaster.Kill(successor);
        }
    }

    /// <summary>
    /// Starts 2 workers, puts the load on, runs <paramref name="steps"/> (which returns how many
    /// retirements it caused), takes the load off and checks that every request got a 200.
    /// </summary>
    private static async Task RunUnderLoadAsync(bool reusePort, string[] options, Func<GwserveProcess, Task<int>> steps, bool masterStays = true)
    {
        string[] mode = reusePort ? ["--reuse-port", "true"] : [];
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 2, [.. mode, .. options]);
        var client = new LoadClient(server.Port) { RetriesClosedIdle = false };
        using var stop = new CancellationTokenSource();
        Task load = client.RunAsync(keepAliveLoops: Connections, freshConnectionLoops: 0, stop.Token);
        var elapsed = Stopwatch.StartNew();
        int retirements;
        try
        {
            retirements = await steps(server);
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        client.Failures.Should().BeEmpty($"no request may fail over {elapsed.Elapsed.TotalSeconds:0}s of retirements ({client.Succeeded} succeeded)\n{server.Output}");
        client.Succeeded.Should().BeGreaterThan(retirements * 10L, "the load ran throughout");
        server.HasExited.Should().Be(!masterStays);
        bool migrates = File.Exists(MigrateSysctl) && File.ReadAllText(MigrateSysctl).Trim() == "1";
        server.Lines.Any(l => l.Contains("net.ipv4.tcp_migrate_req is not 1", StringComparison.Ordinal))
            .Should().Be(reusePort && !migrates, "the master warns when --reuse-port may reset connections as a slot closes");
    }

    [GeneratedRegex(@"Stopping worker (\d+) \(fewer workers wanted\)")]
    private static partial Regex StoppingPid();
}
