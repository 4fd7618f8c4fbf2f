using GatewayServer.Operations;

namespace GatewayServer.Tests.Operations;

public sealed class ControlRequestTests
{
    [Theory]
    [InlineData("status", "status", 1, false, false)]
    [InlineData("status --json", "status", 1, true, false)]
    [InlineData("stats --json\r", "stats", 1, true, false)]
    [InlineData("add 3", "add", 3, false, false)]
    [InlineData("remove 1", "remove", 1, false, false)]
    [InlineData("stop --graceful", "stop", 1, false, true)]
    [InlineData("reopen-logs", "reopen-logs", 1, false, false)]
    public void A_command_line_gives_the_command_and_its_options(string line, string command, int count, bool json, bool graceful) =>
        ControlRequest.Parse(line.TrimEnd('\r')).Should().Be(new ControlRequest(command, count, json, graceful));

    [Theory]
    [InlineData("", "unknown command")]
    [InlineData("restart", "unknown command")]
    [InlineData("add", "from 1 to 1024")]
    [InlineData("add 0", "from 1 to 1024")]
    [InlineData("add 5000", "from 1 to 1024")]
    [InlineData("remove -1", "from 1 to 1024")]
    [InlineData("reload --json", "does not take '--json'")]
    [InlineData("stop now", "does not take 'now'")]
    public void A_bad_command_line_is_refused_with_the_reason(string line, string reason) =>
        FluentActions.Invoking(() => ControlRequest.Parse(line)).Should().Throw<FormatException>().WithMessage($"*{reason}*");

    [Theory]
    [InlineData(1000u, 1000u, true)]
    [InlineData(0u, 1000u, true)]
    [InlineData(65534u, 1000u, false)]
    [InlineData(65534u, 0u, false)]
    public void Only_the_master_s_user_and_root_may_give_commands(uint peer, uint owner, bool allowed) =>
        ControlSocket.IsAllowed(peer, owner).Should().Be(allowed);
}
