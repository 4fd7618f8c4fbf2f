using GatewayServer.Control;

namespace GatewayServer.Master;

/// <summary>One worker as the master saw it when a <see cref="PoolSnapshot"/> was taken.</summary>
/// <param name="Id">The worker's number in this master (the <c>worker</c> label).</param>
/// <param name="Pid">Its process id.</param>
/// <param name="Generation">The reload generation it was started in.</param>
/// <param name="Phase">Booting, ready or stopping.</param>
/// <param name="Requests">Requests served, as last reported.</param>
/// <param name="Age">Since it was started.</param>
/// <param name="SinceHeartbeat">Since its last report.</param>
/// <param name="ResidentBytes">VmRSS, or -1 when unknown.</param>
/// <param name="ProportionalBytes">Pss, or -1 when unknown.</param>
/// <param name="Metrics">Its last metrics report, or null.</param>
public sealed record WorkerSnapshot(
    int Id, int Pid, int Generation, WorkerPhase Phase, TimeSpan Age, long Requests, TimeSpan SinceHeartbeat,
    long ResidentBytes, long ProportionalBytes, MetricsReport? Metrics);
