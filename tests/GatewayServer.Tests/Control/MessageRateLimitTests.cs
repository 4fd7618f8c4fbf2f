using GatewayServer.Control;
using GatewayServer.Tests.Master;

namespace GatewayServer.Tests.Control;

public sealed class MessageRateLimitTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void The_burst_is_taken_at_once_then_nothing_until_time_passes()
    {
        var limit = new MessageRateLimit(3, 2, _time);

        Take(limit, 3).Should().Be(3);
        limit.TryTake().Should().BeFalse();
    }

    [Fact]
    public void Time_refills_at_the_rate_and_never_beyond_the_burst()
    {
        var limit = new MessageRateLimit(3, 2, _time);
        Take(limit, 3);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Take(limit, 10).Should().Be(1);
        _time.Advance(TimeSpan.FromHours(1));
        Take(limit, 10).Should().Be(3);
    }

    private static int Take(MessageRateLimit limit, int tries)
    {
        int taken = 0;
        for (int i = 0; i < tries; i++)
        {
            taken += limit.TryTake() ? 1 : 0;
        }

        return taken;
    }
}
