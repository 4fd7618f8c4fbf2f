using GatewayServer.Engine;
using GatewayServer.Http;

namespace GatewayServer.Tests.Engine;

public sealed class BodyReadTimerTests
{
    private static readonly HttpLimits Limits = new()
    {
        MinBodyDataRate = 100,
        MinBodyDataRateGrace = TimeSpan.FromSeconds(2),
        BodyReadTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void Body_arriving_below_the_minimum_rate_expires_the_timer_after_the_grace_period()
    {
        var timer = new BodyReadTimer(Limits);
        timer.StartWaiting(1000);
        timer.Check(2500).Should().BeFalse("still inside the grace period");
        timer.StopWaiting(2900, 50);
        timer.StartWaiting(2900);
        timer.Check(3500).Should().BeTrue("50 bytes in 2.5 s is below 100 bytes/s");
        timer.Expired.Should().BeTrue();
        timer.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void A_token_taken_before_the_timer_expires_is_cancelled_with_it()
    {
        var timer = new BodyReadTimer(Limits);
        CancellationToken token = timer.Token;
        timer.StartWaiting(1000);
        timer.Check(11_001).Should().BeTrue("the read waited past the 10 s body read timeout");
        token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void Body_arriving_at_the_minimum_rate_never_expires_the_timer()
    {
        var timer = new BodyReadTimer(Limits);
        long now = 1000;
        for (int second = 0; second < 20; second++)
        {
            timer.StartWaiting(now);
            timer.Check(now + 900).Should().BeFalse();
            now += 1000;
            timer.StopWaiting(now, 200);
        }
    }

    [Fact]
    public void Time_the_application_spends_not_reading_does_not_count()
    {
        var timer = new BodyReadTimer(Limits);
        timer.StartWaiting(0);
        timer.StopWaiting(100, 10);
        timer.Check(60_000).Should().BeFalse("nobody is waiting for the client");
    }

    [Fact]
    public void Read_waiting_longer_than_the_body_timeout_expires_the_timer_even_above_the_rate()
    {
        var timer = new BodyReadTimer(Limits with { MinBodyDataRate = 0 });
        timer.StartWaiting(0);
        timer.StopWaiting(10, 1_000_000);
        timer.StartWaiting(10);
        timer.Check(9_000).Should().BeFalse();
        timer.Check(10_011).Should().BeTrue();
    }

    [Fact]
    public void Disabled_checks_never_expire_the_timer()
    {
        var timer = new BodyReadTimer(Limits with { MinBodyDataRate = 0, BodyReadTimeout = TimeSpan.Zero });
        timer.StartWaiting(0);
        timer.Check(long.MaxValue / 2).Should().BeFalse();
    }

    [Fact]
    public void Reset_starts_the_count_over_for_the_next_body()
    {
        var timer = new BodyReadTimer(Limits);
        timer.StartWaiting(0);
        timer.StopWaiting(1900, 0);
        timer.Reset();
        timer.StartWaiting(5000);
        timer.Check(6000).Should().BeFalse();
    }
}
