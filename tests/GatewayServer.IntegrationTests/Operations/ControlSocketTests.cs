using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Deployment;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Operations;

[Collection(MasterCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ControlSocketTests
{
    [Fact]
    public async Task Status_lists_the_pids_of_the_running_workers_and_the_socket_is_its_owner_s_alone()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(2);

        ToolProcess.Result status = await ops.CtlAsync("status");
        ToolProcess.Result json = await ops.CtlAsync("status", "--json");

        status.ExitCode.Should().Be(0, status.Error);
        status.Output.Should().StartWith("generation 1, 2 workers (target 2)");
        TablePids(status.Output).Should().BeEquivalentTo(ops.Server.WorkerPids());
        using JsonDocument document = JsonDocument.Parse(json.Output);
        document.RootElement.GetProperty("workers").EnumerateArray().Select(w => w.GetProperty("pid").GetInt32())
            .Should().BeEquivalentTo(ops.Server.WorkerPids());
        File.GetUnixFileMode(ops.SocketPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Add_and_remove_change_the_pool_as_TTIN_and_TTOU_do()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1);

        ToolProcess.Result add = await ops.CtlAsync("add", "2");
        add.ExitCode.Should().Be(0, add.Error);
        await ops.Server.WaitForReadyWorkersAsync(3);
        (await Eventually.TrueAsync(() => ops.Server.WorkerPids().Count == 3)).Should().BeTrue(ops.Server.Output);
        TablePids((await ops.CtlAsync("workers")).Output).Should().HaveCount(3);

        ToolProcess.Result remove = await ops.CtlAsync("remove", "2");
        remove.ExitCode.Should().Be(0, remove.Error);
        (await Eventually.TrueAsync(() => ops.Server.WorkerPids().Count == 1)).Should().BeTrue(ops.Server.Output);
        ops.Server.Output.Should().Contain("Handling signal: ttin").And.Contain("Handling signal: ttou");
    }

    [Fact]
    public async Task Reload_is_a_rolling_reload_new_workers_ready_before_the_old_ones_stop()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(2);
        int[] before = [.. ops.Server.WorkerPids()];

        ToolProcess.Result reload = await ops.CtlAsync("reload");
        reload.ExitCode.Should().Be(0, reload.Error);
        await ops.Server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        (await Eventually.TrueAsync(() => !ops.Server.WorkerPids().Intersect(before).Any() && ops.Server.WorkerPids().Count == 2)).Should().BeTrue(ops.Server.Output);
        List<string> lines = [.. ops.Server.Lines];
        int firstNewReady = lines.FindIndex(lines.FindIndex(l => l.Contains("Reloading: starting generation 2", StringComparison.Ordinal)), l => l.Contains("Worker ready", StringComparison.Ordinal));
        int firstOldStopped = lines.FindIndex(l => l.Contains("replaced by generation 2", StringComparison.Ordinal));
        firstNewReady.Should().BeGreaterThan(0).And.BeLessThan(firstOldStopped, "an old worker stops only once a new one is ready");
        (await ops.CtlAsync("status")).Output.Should().StartWith("generation 2, 2 workers");
    }

    [Fact]
    public async Task Stop_graceful_drains_and_the_master_exits_0()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1);

        ToolProcess.Result stop = await ops.CtlAsync("stop", "--graceful");

        stop.Output.Should().Contain("ok: stopping gracefully");
        (await ops.Server.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0);
        ops.Server.Output.Should().Contain("Handling signal: term");
        File.Exists(ops.SocketPath).Should().BeFalse("the master removes its control socket as it exits");
    }

    [Fact]
    public async Task Stop_without_graceful_stops_at_once_as_QUIT_does()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1);

        ToolProcess.Result stop = await ops.CtlAsync("stop");

        stop.ExitCode.Should().Be(0, stop.Error);
        stop.Output.Should().Contain("ok: stopping (as QUIT)");
        (await ops.Server.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0);
        ops.Server.Output.Should().Contain("Handling signal: quit");
    }

    [Fact]
    public async Task Stats_totals_the_requests_made_in_text_and_json()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(2);
        await ops.RequestAppAsync(7);

        // Workers report once a second: wait for the totals to reach what was sent.
        (await OperationsServer.EventuallyAsync(async () => StatsRequests((await ops.CtlAsync("stats", "--json")).Output) == 7)).Should().BeTrue(ops.Server.Output);
        ToolProcess.Result text = await ops.CtlAsync("stats");

        text.ExitCode.Should().Be(0, text.Error);
        text.Output.Should().MatchRegex(@"(?m)^requests\s+7$");
        text.Output.Should().MatchRegex(@"(?m)^workers\s+2$");
        using JsonDocument json = JsonDocument.Parse((await ops.CtlAsync("stats", "--json")).Output);
        json.RootElement.GetProperty("connections").GetInt64().Should().BeGreaterThanOrEqualTo(1);
        json.RootElement.GetProperty("sent_bytes").GetInt64().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Reopen_logs_makes_the_workers_write_a_moved_access_log_anew_as_USR1_does()
    {
        using var directory = new TemporaryDirectory("gwserve-ctl-logs-");
        string access = Path.Combine(directory.Path, "access.log");
        using OperationsServer ops = await OperationsServer.StartAsync(1, "--access-logfile", access);
        await ops.RequestAppAsync(1);
        (await Eventually.TrueAsync(() => File.Exists(access) && File.ReadAllText(access).Contains("GET /r0", StringComparison.Ordinal))).Should().BeTrue();
        File.Move(access, access + ".1");

        ToolProcess.Result reopen = await ops.CtlAsync("reopen-logs");

        reopen.ExitCode.Should().Be(0, reopen.Error);
        reopen.Output.Should().Contain("ok: log files reopened (as USR1)");
        await ops.Server.WaitForLineAsync(l => l.Contains("Reopened the log files", StringComparison.Ordinal));
        // The worker reopens on its own signal: keep asking until a request is logged in the new file.
        for (int i = 0; i < 200 && !File.Exists(access); i++)
        {
            await ops.RequestAppAsync(1);
        }

        File.Exists(access).Should().BeTrue("the worker reopened the access log at its configured path");
        ops.Server.Output.Should().Contain("Handling signal: usr1");
    }

    [Fact]
    public async Task A_bad_command_gets_a_one_line_error_and_a_non_zero_exit()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1);

        ToolProcess.Result bad = await ops.CtlAsync("add", "0");

        bad.ExitCode.Should().NotBe(0);
        bad.Error.Trim().Should().Be("gwserve ctl: error: add takes a number of workers from 1 to 1024");
        ops.Server.HasExited.Should().BeFalse();
    }

    [RootFact]
    public async Task Another_user_is_refused_even_when_the_socket_file_lets_them_connect()
    {
        using OperationsServer ops = await OperationsServer.StartAsync(1);
        // Open the file and its directory to everyone, so that only SO_PEERCRED stands in the way.
        File.SetUnixFileMode(Path.GetDirectoryName(ops.SocketPath)!, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(ops.SocketPath, (UnixFileMode)0x1B6);

        ToolProcess.Result nobody = await ToolProcess.RunAsync("setpriv",
        [
            "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
            "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ns.sendall(b'stop\\n')\nprint(s.recv(4096).decode())",
            ops.SocketPath,
        ]);

        nobody.ExitCode.Should().Be(0, nobody.Error);
        nobody.Output.Should().Contain("error: permission denied");
        await ops.Server.WaitForLineAsync(l => l.Contains("Control socket: refused a connection from uid 65534", StringComparison.Ordinal));
        ops.Server.HasExited.Should().BeFalse("the refused stop must not stop the master");
        (await ops.CtlAsync("status")).ExitCode.Should().Be(0, "the owner is still served");
    }

    private static long StatsRequests(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("requests").GetInt64();
    }

    private static IReadOnlyList<int> TablePids(string table) =>
        [.. PidColumn().Matches(table).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"^(\d+) +\d+ ", RegexOptions.Multiline)]
    private static partial Regex PidColumn();
}
