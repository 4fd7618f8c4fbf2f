using System.Text.RegularExpressions;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

[Collection(MasterCollection.Name)]
public sealed partial class BootFailureTests
{
    [Fact]
    public async Task Worker_that_dies_while_booting_after_a_good_first_boot_is_restarted_with_doubling_delays()
    {
        string flag = Path.Combine(Path.GetTempPath(), $"gwserve-fail-boot-{Guid.NewGuid():N}");
        try
        {
            using GwserveProcess server = GwserveProcess.Launch(
                [SupervisionApps.FlakyBoot, "--bind", "127.0.0.1:0", "--workers", "1"],
                new Dictionary<string, string?> { ["SUPERVISION_FAIL_BOOT"] = flag });
            await server.WaitForReadyWorkersAsync(1);
            File.WriteAllText(flag, "fail");

            ProcessSignals.Send(server.WorkerPids().Single(), ProcessSignals.Kill);

            int delays = 0;
            await server.WaitForLineAsync(l => NextStart().IsMatch(l) && ++delays >= 3);
            int[] waited = [.. server.Lines.Select(l => NextStart().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
            waited.Take(3).Should().Equal(200, 400, 800);
            server.HasExited.Should().BeFalse();

            File.Delete(flag);
            await server.WaitForReadyWorkersAsync(2, TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(flag);
        }
    }

    [Fact]
    public async Task App_that_cannot_load_at_first_boot_stops_the_master_with_exit_code_4()
    {
        string flag = Path.GetTempFileName();
        try
        {
            using GwserveProcess server = GwserveProcess.Launch(
                [SupervisionApps.FlakyBoot, "--bind", "127.0.0.1:0", "--workers", "2"],
                new Dictionary<string, string?> { ["SUPERVISION_FAIL_BOOT"] = flag });

            (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(4);
            server.Output.Should().Contain("boot failure requested");
        }
        finally
        {
            File.Delete(flag);
        }
    }

    [GeneratedRegex(@"Worker died while booting; next start in (\d+) ms")]
    private static partial Regex NextStart();
}
