using GatewayServer.Control;

namespace GatewayServer.Tests.Control;

public sealed class ConnectionScoreboardTests
{
    [Fact]
    public void A_worker_more_than_one_connection_ahead_of_a_live_peer_steps_back_and_a_stale_peer_is_ignored()
    {
        int fd = ConnectionScoreboard.CreateDescriptor();
        fd.Should().BeGreaterThanOrEqualTo(0);
        using ConnectionScoreboard scoreboard = ConnectionScoreboard.Open(fd)!;
        long now = 1_000_000;
        int busy = scoreboard.Claim(101, now);
        int idle = scoreboard.Claim(102, now);
        busy.Should().NotBe(idle);

        scoreboard.Publish(busy, 5);
        scoreboard.Publish(idle, 4);
        scoreboard.IsAheadOfOthers(busy, now).Should().BeFalse("one connection ahead is even enough");

        scoreboard.Publish(idle, 2);
        scoreboard.IsAheadOfOthers(busy, now).Should().BeTrue();
        scoreboard.IsAheadOfOthers(idle, now).Should().BeFalse();

        scoreboard.Touch(busy, now + 10_000);
        scoreboard.IsAheadOfOthers(busy, now + 10_000).Should().BeFalse("a peer silent for seconds is dead or hung");
        scoreboard.Claim(103, now + 10_000).Should().Be(idle, "a stale slot is taken over");
    }
}
