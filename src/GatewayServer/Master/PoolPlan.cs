namespace GatewayServer.Master;

/// <summary>
/// The pure decisions of the pool, from the list of workers alone: how many to start, which one to
/// retire. A rolling reload is nothing but these two rules applied after a HUP bumped the
/// generation: the current generation is short of workers, so new ones start; each time one of
/// them is ready the pool has one ready worker too many, so the oldest outdated one retires.
/// Capacity never drops below the target, and a new generation that never boots retires nobody.
/// </summary>
public static class PoolPlan
{
    /// <summary>Workers of the current generation, not stopping and not due for replacement.</summary>
    public static int Serving(IEnumerable<WorkerHandle> workers, int generation)
    {
        int count = 0;
        foreach (WorkerHandle worker in workers)
        {
            if (worker.Phase != WorkerPhase.Stopping && worker.Generation == generation && worker.RetireReason is null)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>How many workers to start now.</summary>
    public static int Missing(IEnumerable<WorkerHandle> workers, int generation, int target) =>
        Math.Max(0, target - Serving(workers, generation));

    /// <summary>
    /// The worker to stop gracefully now, or null: when more workers are ready than the target, the
    /// outdated (older generation) or marked ones go first, oldest first; then the oldest. With
    /// <c>--reuse-port</c> the slots decide before age: a worker whose slot another ready worker
    /// also accepts on goes first (its socket's queue keeps an acceptor), then the highest slot (so
    /// fewer workers leave the top slot empty, for the master to close, rather than a hole that
    /// nobody accepts from). With one shared socket every worker is in slot 0, and age alone decides.
    /// </summary>
    public static WorkerHandle? NextToRetire(IReadOnlyList<WorkerHandle> workers, int generation, int target)
    {
        int ready = 0;
        WorkerHandle? candidate = null;
        foreach (WorkerHandle worker in workers)
        {
            if (worker.Phase != WorkerPhase.Ready)
            {
                continue;
            }

            ready++;
            if (candidate is null || Preference(worker, workers, generation).CompareTo(Preference(candidate, workers, generation)) < 0)
            {
                candidate = worker;
            }
        }

        return ready > target ? candidate : null;
    }

    /// <summary>Whether workers of an older generation are still serving (a reload is in progress).</summary>
    public static bool HasOutdated(IEnumerable<WorkerHandle> workers, int generation)
    {
        foreach (WorkerHandle worker in workers)
        {
            if (worker.Phase != WorkerPhase.Stopping && worker.Generation != generation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lower, the sooner a ready worker retires.</summary>
    private static (int Rank, int Alone, int Slot, int Id) Preference(WorkerHandle worker, IReadOnlyList<WorkerHandle> workers, int generation)
    {
        bool alone = true;
        foreach (WorkerHandle other in workers)
        {
            if (other != worker && other.Phase == WorkerPhase.Ready && other.Slot == worker.Slot)
            {
                alone = false;
                break;
            }
        }

        int rank = worker.Generation != generation || worker.RetireReason is not null ? 0 : 1;
        return (rank, alone ? 1 : 0, -worker.Slot, worker.Id);
    }
}
