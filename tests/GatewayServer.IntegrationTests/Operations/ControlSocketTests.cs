using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Deployment;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

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

    private static IReadOnlyList<int> TablePids(string table) =>
        [.. PidColumn().Matches(table).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"^(\d+) +\d+ ", RegexOptions.Multiline)]
    private static partial Regex PidColumn();
}
