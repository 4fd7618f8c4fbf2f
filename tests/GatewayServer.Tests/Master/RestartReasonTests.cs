using GatewayServer.Master;

namespace GatewayServer.Tests.Master;

public sealed class RestartReasonTests
{
    [Fact]
    public void A_ready_worker_that_exits_on_its_own_crashed() =>
        RestartReason.Of(Worker(WorkerPhase.Ready), 1).Should().Be("crash");

    [Fact]
    public void A_worker_that_missed_its_heartbeat_timed_out() =>
        RestartReason.Of(Worker(WorkerPhase.Stopping, w => w.TimedOut = true), 1).Should().Be("timeout");

    [Fact]
    public void A_worker_that_never_became_ready_failed_to_boot() =>
        RestartReason.Of(Worker(WorkerPhase.Booting), 1).Should().Be("boot-failure");

    [Theory]
    [InlineData("memory")]
    [InlineData("max-requests")]
    [InlineData("request-timeout")]
    public void A_recycled_worker_restarts_for_the_reason_it_was_recycled(string reason) =>
        RestartReason.Of(Worker(WorkerPhase.Stopping, w => w.RetireReason = reason), 1).Should().Be(reason);

    [Fact]
    public void A_worker_of_an_older_generation_was_replaced_by_a_reload() =>
        RestartReason.Of(Worker(WorkerPhase.Stopping), 2).Should().Be("reload");

    [Fact]
    public void A_worker_stopped_because_fewer_are_wanted_is_not_a_restart() =>
        RestartReason.Of(Worker(WorkerPhase.Stopping), 1).Should().BeNull();

    private static WorkerHandle Worker(WorkerPhase phase, Action<WorkerHandle>? change = null)
    {
        var worker = new WorkerHandle(1, 1, 4242, 0) { Phase = phase };
        change?.Invoke(worker);
        return worker;
    }
}
