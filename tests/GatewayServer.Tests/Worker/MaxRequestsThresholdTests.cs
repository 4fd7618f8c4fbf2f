using GatewayServer.Worker;

namespace GatewayServer.Tests.Worker;

public sealed class MaxRequestsThresholdTests
{
    [Fact]
    public void Max_requests_threshold_is_N_plus_a_jitter_from_0_to_J_inclusive()
    {
        var random = new Random(7);
        long[] picks = [.. Enumerable.Range(0, 2000).Select(_ => MaxRequestsThreshold.Pick(50, 10, random))];

        picks.Should().OnlyContain(n => n >= 50 && n <= 60);
        picks.Distinct().Should().HaveCount(11);
    }

    [Fact]
    public void Max_requests_0_never_retires_and_no_jitter_is_exact()
    {
        MaxRequestsThreshold.Pick(0, 10, Random.Shared).Should().Be(long.MaxValue);
        MaxRequestsThreshold.Pick(50, 0, Random.Shared).Should().Be(50);
    }
}
