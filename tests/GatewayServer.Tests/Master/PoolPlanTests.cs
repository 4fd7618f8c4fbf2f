using GatewayServer.Master;

namespace GatewayServer.Tests.Master;

/// <summary>A rolling reload, step by step, as the master's loop applies the two rules.</summary>
public sealed class PoolPlanTests
{
    private readonly List<WorkerHandle> _workers = [];
    private int _nextId = 1;

    [Fact]
    public void A_steady_pool_at_its_target_starts_and_retires_nobody()
    {
        Ready(generation: 1);
        Ready(generation: 1);

        PoolPlan.Missing(_workers, 1, 2).Should().Be(0);
        PoolPlan.NextToRetire(_workers, 1, 2).Should().BeNull();
    }

    [Fact]
    public void A_reload_retires_one_old_worker_each_time_a_new_one_is_ready_never_dropping_below_the_target()
    {
        WorkerHandle oldA = Ready(generation: 1);
        WorkerHandle oldB = Ready(generation: 1);

        // HUP: generation 2 is short of two workers; nobody is retired yet.
        PoolPlan.Missing(_workers, 2, 2).Should().Be(2);
        WorkerHandle newC = Booting(generation: 2);
        WorkerHandle newD = Booting(generation: 2);
        PoolPlan.Missing(_workers, 2, 2).Should().Be(0);
        PoolPlan.NextToRetire(_workers, 2, 2).Should().BeNull();
        PoolPlan.HasOutdated(_workers, 2).Should().BeTrue();

        newC.Phase = WorkerPhase.Ready;
        PoolPlan.NextToRetire(_workers, 2, 2).Should().BeSameAs(oldA);
        oldA.Phase = WorkerPhase.Stopping;
        PoolPlan.NextToRetire(_workers, 2, 2).Should().BeNull("two workers are ready, as wanted");

        newD.Phase = WorkerPhase.Ready;
        PoolPlan.NextToRetire(_workers, 2, 2).Should().BeSameAs(oldB);
        oldB.Phase = WorkerPhase.Stopping;
        PoolPlan.HasOutdated(_workers, 2).Should().BeFalse();
    }

    [Fact]
    public void A_new_generation_that_never_boots_retires_none_of_the_old_workers()
    {
        Ready(generation: 1);
        Ready(generation: 1);
        Booting(generation: 2);
        Booting(generation: 2);

        PoolPlan.NextToRetire(_workers, 2, 2).Should().BeNull();
    }

    [Fact]
    public void Fewer_workers_wanted_retires_the_oldest()
    {
        WorkerHandle oldest = Ready(generation: 1);
        Ready(generation: 1);
        Ready(generation: 1);

        PoolPlan.NextToRetire(_workers, 1, 2).Should().BeSameAs(oldest);
    }

    [Fact]
    public void A_worker_marked_for_replacement_gets_a_replacement_first_and_retires_when_it_is_ready()
    {
        Ready(generation: 1);
        WorkerHandle heavy = Ready(generation: 1);
        heavy.RetireReason = "memory";

        PoolPlan.Missing(_workers, 1, 2).Should().Be(1);
        PoolPlan.NextToRetire(_workers, 1, 2).Should().BeNull();

        Ready(generation: 1);
        PoolPlan.NextToRetire(_workers, 1, 2).Should().BeSameAs(heavy);
    }

    [Fact]
    public void Fewer_workers_wanted_with_reuse_port_retires_the_highest_slot_so_no_slot_is_left_without_an_acceptor()
    {
        Ready(generation: 1, slot: 0);
        WorkerHandle top = Ready(generation: 1, slot: 1);

        PoolPlan.NextToRetire(_workers, 1, 1).Should().BeSameAs(top);
    }

    [Fact]
    public void A_reload_with_reuse_port_retires_first_the_old_worker_whose_slot_a_new_ready_worker_took_over()
    {
        Ready(generation: 1, slot: 0);
        WorkerHandle oldB = Ready(generation: 1, slot: 1);
        Booting(generation: 2, slot: 0);
        Ready(generation: 2, slot: 1);

        PoolPlan.NextToRetire(_workers, 2, 2).Should().BeSameAs(oldB);
    }

    private WorkerHandle Ready(int generation, int slot = 0)
    {
        WorkerHandle worker = Booting(generation, slot);
        worker.Phase = WorkerPhase.Ready;
        return worker;
    }

    private WorkerHandle Booting(int generation, int slot = 0)
    {
        int id = _nextId++;
        var worker = new WorkerHandle(id, generation, pid: 1000 + id, startedAt: 0) { Slot = slot };
        _workers.Add(worker);
        return worker;
    }
}
