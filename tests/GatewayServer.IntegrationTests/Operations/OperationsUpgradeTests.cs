using System.Globalization;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Operations;

[Collection(MasterCollection.Name)]
public sealed class OperationsUpgradeTests
{
    [Fact]
    public async Task After_USR2_the_new_master_takes_the_control_socket_once_the_old_one_exits()
    {
        int successor = 0;
        try
        {
            using OperationsServer ops = await OperationsServer.StartAsync(1);

            ops.Server.Signal(12);
            successor = await SuccessorMaster.AwaitPidAsync(ops.Server);
            await ops.Server.WaitForLineAsync(l => l.Contains($"[{successor}]", StringComparison.Ordinal) && l.Contains("retrying every second", StringComparison.Ordinal));
            await ops.Server.WaitForReadyWorkersAsync(2);

            ops.Server.Signal(ProcessSignals.Term);
            await ops.Server.WaitForLineAsync(l => l.Contains($"[{successor}]", StringComparison.Ordinal) && l.Contains("Control socket at: ", StringComparison.Ordinal));

            ToolProcess.Result status = await ops.CtlAsync("status");
            status.ExitCode.Should().Be(0, status.Error);
            status.Output.Should().Contain(GwserveProcess.ChildrenOf(successor).Single().ToString(CultureInfo.InvariantCulture) + " ");
        }
        finally
        {
            SuccessorMaster.Kill(successor);
        }
    }
}
