using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

public sealed partial class WorkerSupervisionTests
{
    private static readonly string Hello = RepositoryLayout.Sample("HelloApp") + ":App";
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task Worker_killed_with_SIGKILL_is_replaced_by_a_new_worker_that_serves()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1);
        int killed = server.WorkerPids().Single();

        var clock = Stopwatch.StartNew();
        ProcessSignals.Send(killed, ProcessSignals.Kill);
        string booting = await server.WaitForLineAsync(
            l => BootingWorker().Match(l) is { Success: true } m && m.Groups[1].Value != killed.ToString(CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(2));
        TimeSpan toRespawn = clock.Elapsed;
        int replacement = int.Parse(BootingWorker().Match(booting).Groups[1].Value, CultureInfo.InvariantCulture);
        await server.WaitForLineAsync(l => l.Contains($"Worker ready (pid: {replacement})", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        toRespawn.Should().BeLessThan(TimeSpan.FromSeconds(1.5), "the master restarts a dead worker within about a second");
        server.WorkerPids().Should().Equal(replacement);
        server.Output.Should().Contain($"Worker {killed} exited unexpectedly with signal 9");
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /pid HTTP/1.1\r\nHost: h\r\n\r\n");
        (await connection.ReadResponseAsync()).BodyText.Should().Be(replacement.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Master_killed_with_SIGKILL_leaves_no_worker_alive_within_two_seconds()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 2);
        IReadOnlyList<int> workers = server.WorkerPids();
        workers.Should().HaveCount(2);

        // One worker is busy in a blocking request: it must go too.
        using RawHttpConnection busy = await RawHttpConnection.OpenAsync(server.Port);
        await busy.SendAsync("GET /sleep?ms=20000 HTTP/1.1\r\nHost: h\r\n\r\n");
        await server.WaitForLineAsync(l => l.Contains("sleeping 20000 ms", StringComparison.Ordinal));

        server.Signal(ProcessSignals.Kill);
        var deadline = Stopwatch.StartNew();
        while (workers.Any(ProcessSignals.IsAlive) && deadline.Elapsed < TimeSpan.FromSeconds(2))
        {
            // A bounded readiness poll: nothing in the test can be awaited for another process's death.
            await Task.Delay(20);
        }

        workers.Where(ProcessSignals.IsAlive).Should().BeEmpty("workers notice the master is gone and exit on their own");
    }

    [Fact]
    public async Task Ps_shows_one_master_with_three_worker_children_that_share_the_listening_socket()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Hello, 3);

        IReadOnlyList<int> workers = server.WorkerPids();
        workers.Should().HaveCount(3);
        foreach (int worker in workers)
        {
            ParentOf(worker).Should().Be(server.Pid);
            ProcessSignals.IsAlive(worker).Should().BeTrue();
            File.ReadAllText($"/proc/{worker}/cmdline").Split('\0').Should().Contain("worker");
            GwserveProcess.ChildrenOf(worker).Should().BeEmpty("workers start no processes of their own");
        }

        ParentOf(server.Pid).Should().Be(Environment.ProcessId, "the master is the process the test started");

        long listening = ListeningSocketInode(server.Port);
        SocketInodes(server.Pid).Should().Contain(listening, "the master holds the listening socket it bound");
        foreach (int worker in workers)
        {
            SocketInodes(worker).Should().Contain(listening, "worker {0} inherits the master's listening socket", worker);
        }
    }

    [Fact]
    public async Task WEB_CONCURRENCY_sets_the_worker_count_when_workers_is_not_given()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Hello, new Dictionary<string, string?> { ["WEB_CONCURRENCY"] = "3" });
        await server.WaitForReadyWorkersAsync(3);

        server.WorkerPids().Should().HaveCount(3);
        server.Lines.Count(l => BootingWorker().IsMatch(l)).Should().Be(3);
    }

    [Fact]
    public async Task Workers_flag_wins_over_WEB_CONCURRENCY()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Hello, new Dictionary<string, string?> { ["WEB_CONCURRENCY"] = "3" }, "--workers", "2");
        await server.WaitForReadyWorkersAsync(2);

        // The master boots the whole pool in one step, before any worker can report ready.
        server.Lines.Count(l => BootingWorker().IsMatch(l)).Should().Be(2);
        server.WorkerPids().Should().HaveCount(2);
    }

    private static int ParentOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The inode of the socket listening on 127.0.0.1:<paramref name="port"/>, from /proc/net/tcp.</summary>
    private static long ListeningSocketInode(int port)
    {
        string local = $"0100007F:{port:X4}";
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] == local && fields[3] == "0A")
            {
                return long.Parse(fields[9], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no socket listens on 127.0.0.1:{port}");
    }

    private static HashSet<long> SocketInodes(int pid)
    {
        var inodes = new HashSet<long>();
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target = new FileInfo(fd).LinkTarget;
            if (target is not null && SocketLink().Match(target) is { Success: true } socket)
            {
                inodes.Add(long.Parse(socket.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    [GeneratedRegex(@"Booting worker with pid: (\d+)")]
    private static partial Regex BootingWorker();

    [GeneratedRegex(@"^socket:\[(\d+)\]$")]
    private static partial Regex SocketLink();
}
