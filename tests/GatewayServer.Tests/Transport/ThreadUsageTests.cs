using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class ThreadUsageTests
{
    [Fact]
    public void A_sleep_counts_as_a_voluntary_switch_of_the_calling_thread()
    {
        long before = ThreadUsage.VoluntarySwitches();

        Thread.Sleep(5);

        ThreadUsage.VoluntarySwitches().Should().BeGreaterThan(before);
    }
}
