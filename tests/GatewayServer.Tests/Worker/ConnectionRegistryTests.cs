using GatewayServer.Worker;

namespace GatewayServer.Tests.Worker;

public sealed class ConnectionRegistryTests
{
    [Fact]
    public void Places_up_to_the_capacity_are_taken_at_once_and_the_next_waits_in_vain_while_none_is_given_back()
    {
        var registry = new ConnectionRegistry { Capacity = 2 };

        registry.TryReserve(TimeSpan.Zero).Should().BeTrue();
        registry.TryReserve(TimeSpan.Zero).Should().BeTrue();
        registry.TryReserve(TimeSpan.FromMilliseconds(50)).Should().BeFalse();

        registry.ReturnPlace();
        registry.TryReserve(TimeSpan.Zero).Should().BeTrue();
    }

    [Fact]
    public async Task A_wait_at_the_capacity_ends_when_another_thread_gives_a_place_back()
    {
        var registry = new ConnectionRegistry { Capacity = 1 };
        registry.TryReserve(TimeSpan.Zero).Should().BeTrue();
        using var waiting = new ManualResetEventSlim();

        Task<bool> reserve = Task.Factory.StartNew(
            () =>
            {
                waiting.Set();
                return registry.TryReserve(TimeSpan.FromSeconds(30));
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        waiting.Wait();
        registry.ReturnPlace();

        (await reserve.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        registry.TryReserve(TimeSpan.Zero).Should().BeFalse("the place given back was taken by the waiter");
    }
}
