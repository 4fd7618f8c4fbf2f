using GatewayServer.Control;

namespace GatewayServer.Master;

/// <summary>
/// The pool at one moment, taken on the master's loop for the metrics endpoint and the control
/// socket, and immutable after: they read it on their own threads.
/// </summary>
/// <param name="Generation">The current reload generation.</param>
/// <param name="TargetWorkers">How many workers the pool aims at.</param>
/// <param name="Ready">Whether <c>/readyz</c> says ready: a worker is ready and the master is not draining.</param>
/// <param name="Draining">Whether a SIGTERM (or <c>stop</c>) is being served out: shutdown delay or drain.</param>
/// <param name="Workers">Every worker process, by age.</param>
/// <param name="Retired">The counters and histograms of every worker that has exited, added up.</param>
/// <param name="Restarts">Workers replaced, by reason.</param>
/// <param name="Reloads">Rolling reloads started.</param>
/// <param name="ListenQueues">Each listening TCP socket's accept queue.</param>
public sealed record PoolSnapshot(
    int Generation, int TargetWorkers, bool Ready, bool Draining,
    IReadOnlyList<WorkerSnapshot> Workers, MetricsReport Retired,
    IReadOnlyDictionary<string, long> Restarts, long Reloads, IReadOnlyList<ListenQueueSample> ListenQueues);
