using System.Globalization;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

/// <summary>
/// A compromised worker (ControlChannelAttackApp, code running in the worker) writing to its own end of
/// the control channel: the master reads a bounded amount, kills the worker, says so, and replaces it.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class ControlChannelAbuseTests
{
    [Fact]
    public async Task Worker_streaming_bytes_without_a_newline_is_killed_and_replaced_while_the_master_memory_stays_bounded()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.ControlChannelAttack, 1);
        long peakBefore = PeakResidentKilobytes(server.Pid);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        int attacker = await AttackAsync(server, connection, "/flood");

        await server.WaitForLineAsync(l => l.Contains($"Worker {attacker} broke the control protocol (a line longer than 65536 bytes); killing it", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains($"Worker exiting (pid: {attacker}) after breaking the control protocol, with signal 9", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);
        (await SupervisionApps.GetAsync(server.Port, "/")).BodyText.Should().NotBe($"pid {attacker}\n").And.StartWith("pid ");
        (PeakResidentKilobytes(server.Pid) - peakBefore).Should().BeLessThan(48 * 1024,
            "the master reads at most one line of 64 KiB past the last newline (without the bound it grew by gigabytes)");
        server.Output.Should().NotContain("App failed to load");
    }

    [Fact]
    public async Task Worker_sending_a_thousand_heartbeats_at_once_is_killed_and_replaced()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.ControlChannelAttack, 1);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        int attacker = await AttackAsync(server, connection, "/burst");

        await server.WaitForLineAsync(l => l.Contains($"Worker {attacker} broke the control protocol (more than 100 messages at once or 50 a second); killing it", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);
        (await SupervisionApps.GetAsync(server.Port, "/")).BodyText.Should().NotBe($"pid {attacker}\n").And.StartWith("pid ");
    }

    [Theory]
    [InlineData("ready", "unexpected message \"ready\"")]
    [InlineData("status+99999999999999999999+0", "unexpected message \"status 99999999999999999999 0\"")]
    [InlineData("status+-5+0", "unexpected message \"status -5 0\"")]
    [InlineData("shutdown-master+now", "unexpected message \"shutdown-master now\"")]
    public async Task Worker_sending_a_message_out_of_protocol_is_killed_not_believed(string line, string problem)
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.ControlChannelAttack, 1);
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
        int attacker = await AttackAsync(server, connection, $"/say?{line}");

        await server.WaitForLineAsync(l => l.Contains($"Worker {attacker} broke the control protocol ({problem}); killing it", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);
        server.Lines.Count(l => l.Contains($"Worker ready (pid: {attacker})", StringComparison.Ordinal)).Should().Be(1, "a second ready is not believed");
    }

    /// <summary>Asks the only worker's app to attack; returns that worker's pid.</summary>
    private static async Task<int> AttackAsync(GwserveProcess server, RawHttpConnection connection, string path)
    {
        int attacker = server.WorkerPids().Single();
        await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return attacker;
    }

    /// <summary>VmHWM: the most resident memory the process ever had.</summary>
    private static long PeakResidentKilobytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
