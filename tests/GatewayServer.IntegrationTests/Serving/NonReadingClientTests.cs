using System.Diagnostics;
using Xunit.Abstractions;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Serving;

/// <summary>
/// Issue 15, finding 3: clients that send a large head and thousands of pipelined requests and then
/// never read were held forever, and the worker's memory grew by megabytes per client and stayed.
/// </summary>
public sealed class NonReadingClientTests(ITestOutputHelper output)
{
    private const int Clients = 30;

    /// <summary>
    /// What the attack may add to the worker at its peak. Every client's head is as large as the
    /// default limits allow (about 800 KB); reading it takes one buffer of that size and parsing it
    /// one copy, both garbage once the head is served (buffers this large are left to the garbage
    /// collector, which takes its time to collect them), so about 1.6 MB a client, 48 MB for 30.
    /// Once served, a connection keeps a few kilobytes (the unparsed pipelined bytes of the same
    /// read, one response). The bound leaves as much again and more for the collector, which lets
    /// tens of megabytes of large garbage build up before it collects. Before the fix each
    /// client's answered-but-unsent responses piled up in memory too: 390 MB for 60 in the report.
    /// </summary>
    private const long PeakGrowthBound = 128L << 20;

    /// <summary>What a second, identical wave may add to what the first left: buffers go back, nothing accumulates.</summary>
    private const long SecondWaveGrowthBound = 24L << 20;

    /// <summary>
    /// From the start of a wave until every client was closed: reading and parsing the heads and
    /// serving requests until the kernel's buffers are full (seconds on a loaded machine), then the
    /// send deadline (the 2 s grace; the 4 KiB response a send waits on needs a second at 4096
    /// bytes/s), then up to a second for the sweep.
    /// </summary>
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a probe on a fresh connection may take while the attack runs: it waits for one turn
    /// of every attacking connection (reading and parsing its 800 KB head, then 32 of its requests),
    /// a few hundred milliseconds of CPU that a machine shared by many test runs stretches to
    /// seconds. Before the fix the probe waited for all the pipelined requests to be served.
    /// </summary>
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(10);

    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task Clients_that_never_read_are_closed_by_the_send_deadline_while_others_are_served_and_the_worker_memory_stays_bounded()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(
            Behaviours, 1,
            "--min-response-rate", "4096", "--min-response-rate-grace", "2",
            "--request-timeout", "5", "--keep-alive", "2", "--header-timeout", "3");
        int worker = server.WorkerPids().Should().ContainSingle().Subject;
        byte[] attack = NonReadingClient.Attack("/kilobytes?n=4", fields: 100, fieldSize: 8190, pipelined: 40_000);
        for (int i = 0; i < 20; i++)
        {
            await ProbeAsync(server.Port);
        }

        long baseline = ResidentMemorySampler.ReadResidentBytes(worker)!.Value;

        long firstPeak = await RunWaveAsync(server.Port, worker, attack);
        long afterFirst = ResidentMemorySampler.ReadResidentBytes(worker)!.Value;
        long secondPeak = await RunWaveAsync(server.Port, worker, attack);
        long afterSecond = ResidentMemorySampler.ReadResidentBytes(worker)!.Value;

        string report = $"baseline {baseline >> 20} MiB, first wave peak {firstPeak >> 20} MiB then {afterFirst >> 20} MiB, second wave peak {secondPeak >> 20} MiB then {afterSecond >> 20} MiB";
        output.WriteLine(report);
        (Math.Max(firstPeak, secondPeak) - baseline).Should().BeLessThan(PeakGrowthBound, report);
        (afterSecond - afterFirst).Should().BeLessThan(SecondWaveGrowthBound, "memory the first wave used is reused, not added to; " + report);
        await ProbeAsync(server.Port);
        server.WorkerPids().Should().Equal([worker], "the worker lives on");
        server.Output.Should().Contain("did not read its response");
    }

    /// <summary>Runs one wave of non-reading clients until the server has closed them all; returns the worker's peak RSS.</summary>
    private static async Task<long> RunWaveAsync(int port, int worker, byte[] attack)
    {
        var clients = new List<NonReadingClient>();
        try
        {
            await using var sampler = new ResidentMemorySampler(worker, TimeSpan.FromMilliseconds(20));
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Clients; i++)
            {
                NonReadingClient client = await NonReadingClient.ConnectAsync(port);
                clients.Add(client);
                client.StartSending(attack);
            }

            var probes = new List<string>();
            while (!clients.TrueForAll(c => c.IsClosedByServer()))
            {
                clock.Elapsed.Should().BeLessThan(CloseDeadline, $"{clients.Count(c => !c.IsClosedByServer())} of {Clients} clients that never read are still open");
                var probe = Stopwatch.StartNew();
                await ProbeAsync(port);
                probes.Add($"{probe.ElapsedMilliseconds} ms at {clock.ElapsedMilliseconds} ms");
                probe.Elapsed.Should().BeLessThan(ProbeBound, "a fresh connection is served while the attack runs (probes: {0})", string.Join(", ", probes));
                await Task.Delay(100);
            }

            await Task.WhenAll(clients.Select(c => c.Sending));
            await sampler.DisposeAsync();
            return sampler.PeakBytes;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task ProbeAsync(int port)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync("GET /pid HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));
        response.Status.Should().Be(200);
    }
}
