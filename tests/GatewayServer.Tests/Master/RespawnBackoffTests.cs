using GatewayServer.Master;

namespace GatewayServer.Tests.Master;

public sealed class RespawnBackoffTests
{
    [Fact]
    public void Delay_doubles_from_200_ms_per_consecutive_failure_and_stops_at_10_s()
    {
        Enumerable.Range(0, 9).Select(n => RespawnBackoff.DelayAfter(n).TotalMilliseconds)
            .Should().Equal(0, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000);
        RespawnBackoff.DelayAfter(1000).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Spawning_waits_out_the_delay_of_the_last_failure()
    {
        var time = new ManualTimeProvider();
        var backoff = new RespawnBackoff(new MasterClock(time));
        backoff.MaySpawn.Should().BeTrue();

        backoff.RecordFailure();
        backoff.RecordFailure().Should().Be(TimeSpan.FromMilliseconds(400));
        backoff.MaySpawn.Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(399));
        backoff.MaySpawn.Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        backoff.MaySpawn.Should().BeTrue();
    }

    [Fact]
    public void A_worker_that_boots_resets_the_backoff()
    {
        var time = new ManualTimeProvider();
        var backoff = new RespawnBackoff(new MasterClock(time));
        backoff.RecordFailure();
        backoff.RecordFailure();

        backoff.Reset();

        backoff.MaySpawn.Should().BeTrue();
        backoff.RecordFailure().Should().Be(TimeSpan.FromMilliseconds(200));
    }
}
