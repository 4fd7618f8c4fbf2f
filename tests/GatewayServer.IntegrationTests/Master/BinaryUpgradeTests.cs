using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed class BinaryUpgradeTests
{
    [Fact]
    public async Task USR2_starts_a_new_master_on_the_same_sockets_that_serves_on_after_the_old_one_is_terminated()
    {
        int successor = 0;
        try
        {
            using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1);
            int oldWorker = server.WorkerPids().Single();

            server.Signal(12);
            successor = await SuccessorMaster.AwaitPidAsync(server);
            await TerminateOnceTheSuccessorServesAsync(server, successor);

            RawResponse response = await SupervisionApps.GetAsync(server.Port, "/");
            response.Status.Should().Be(200);
            response.BodyText.Should().NotBe($"pid {oldWorker}\n");
            GwserveProcess.ChildrenOf(successor).Should().ContainSingle();
        }
        finally
        {
            SuccessorMaster.Kill(successor);
        }
    }

    [Fact]
    public async Task USR2_keeps_the_unix_socket_and_control_socket_files_the_successor_serves_on_after_the_old_master_exits()
    {
        string directory = Directory.CreateTempSubdirectory("gwserve-usr2-").FullName;
        string socket = Path.Combine(directory, "app.sock");
        string control = Path.Combine(directory, "control.sock");
        int successor = 0;
        try
        {
            using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 1, "--bind", "unix:" + socket, "--control-socket", control);

            server.Signal(12);
            successor = await SuccessorMaster.AwaitPidAsync(server);
            await TerminateOnceTheSuccessorServesAsync(server, successor);
            // The successor binds the control socket once the old master has let go of it.
            await server.WaitForLineAsync(l => l.Contains($"[{successor}]", StringComparison.Ordinal) && l.Contains("Control socket at:", StringComparison.Ordinal));

            // The old master's sockets were the successor's (the app's, inherited) or replaced by the
            // successor's own (the control socket): its exit must not have unlinked either name.
            using var app = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await app.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
            await app.SendAsync("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"u8.ToArray());
            var answer = new byte[256];
            int read = await app.ReceiveAsync(answer);
            System.Text.Encoding.ASCII.GetString(answer, 0, read).Should().StartWith("HTTP/1.1 200");
            using var ctl = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await ctl.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(control));
            ctl.Connected.Should().BeTrue("the successor's control socket file is still there");
        }
        finally
        {
            SuccessorMaster.Kill(successor);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>TERM to the old master once the successor's worker is ready beside its own, and its exit.</summary>
    private static async Task TerminateOnceTheSuccessorServesAsync(GwserveProcess server, int successor)
    {
        await server.WaitForLineAsync(l => l.Contains($"[{successor}]", StringComparison.Ordinal) && l.Contains("(inherited)", StringComparison.Ordinal));
        await server.WaitForReadyWorkersAsync(2);
        server.Signal(ProcessSignals.Term);
        // Not WaitForExitAsync: that also waits for the end of the output, and the new master shares the pipe.
        await server.WaitForLineAsync(l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
        (await Eventually.TrueAsync(() => server.HasExited)).Should().BeTrue();
    }
}
