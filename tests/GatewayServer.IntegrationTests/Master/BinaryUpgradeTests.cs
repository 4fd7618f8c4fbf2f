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
            await server.WaitForLineAsync(l => l.Contains($"[{successor}]", StringComparison.Ordinal) && l.Contains("(inherited)", StringComparison.Ordinal));
            await server.WaitForReadyWorkersAsync(2);

            server.Signal(ProcessSignals.Term);
            // Not WaitForExitAsync: that also waits for the end of the output, and the new master shares the pipe.
            await server.WaitForLineAsync(l => l.Contains("Shutting down: Master", StringComparison.Ordinal));
            (await Eventually.TrueAsync(() => server.HasExited)).Should().BeTrue();

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
}
