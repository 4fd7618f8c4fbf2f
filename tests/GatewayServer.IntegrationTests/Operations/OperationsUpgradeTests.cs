using System.Globalization;
using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Operations;

[Collection(MasterCollection.Name)]
public sealed partial class OperationsUpgradeTests
{
    [Fact]
    public async Task After_USR2_the_new_master_takes_the_control_socket_once_the_old_one_exits()
    {
        int successor = 0;
        try
        {
            using OperationsServer ops = await OperationsServer.StartAsync(1);

            ops.Server.Signal(12);
            string line = await ops.Server.WaitForLineAsync(l => l.Contains("Re-executing: new master pid", StringComparison.Ordinal));
            successor = int.Parse(NewMaster().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
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
            if (successor != 0)
            {
                foreach (int worker in GwserveProcess.ChildrenOf(successor))
                {
                    ProcessSignals.Send(worker, ProcessSignals.Kill);
                }

                ProcessSignals.Send(successor, ProcessSignals.Kill);
            }
        }
    }

    [GeneratedRegex(@"new master pid (\d+)")]
    private static partial Regex NewMaster();
}
