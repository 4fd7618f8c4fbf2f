using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class SendDeadlineTests
{
    [Fact]
    public void A_small_send_that_waits_gets_the_grace_period()
    {
        var deadline = new SendDeadline(240, TimeSpan.FromSeconds(5));
        deadline.Start(1000, 100);

        deadline.IsPast(6000).Should().BeFalse();
        deadline.IsPast(6001).Should().BeTrue();
    }

    [Fact]
    public void A_larger_send_that_waits_gets_the_time_its_bytes_take_at_the_minimum_rate()
    {
        var deadline = new SendDeadline(1024, TimeSpan.FromSeconds(2));
        deadline.Start(0, SendDeadline.Slice);

        deadline.IsPast(16_000).Should().BeFalse("16 KiB at 1 KiB/s take 16 s, more than the grace");
        deadline.IsPast(16_001).Should().BeTrue();
    }

    [Fact]
    public void A_send_that_is_over_is_never_past_its_deadline()
    {
        var deadline = new SendDeadline(240, TimeSpan.FromSeconds(5));
        deadline.Start(0, 100);
        deadline.Stop();

        deadline.IsPast(long.MaxValue).Should().BeFalse();
    }

    [Fact]
    public void A_minimum_rate_of_zero_times_nothing()
    {
        var deadline = new SendDeadline(0, TimeSpan.FromSeconds(5));
        deadline.Start(0, 100);

        deadline.IsPast(long.MaxValue).Should().BeFalse();
    }
}
