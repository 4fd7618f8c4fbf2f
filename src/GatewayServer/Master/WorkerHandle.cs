using System.Diagnostics;
using GatewayServer.Control;

namespace GatewayServer.Master;

/// <summary>
/// The master's view of one worker process: its pid, generation, phase, control channel and last
/// report. The code that runs inside the worker is elsewhere (<c>Worker</c>); this is only bookkeeping.
/// </summary>
public sealed class WorkerHandle : IDisposable
{
    private readonly Process? _process;
    private readonly ControlChannel? _control;

    public WorkerHandle(int id, int generation, Process process, ControlChannel control, long startedAt)
        : this(id, generation, process.Id, startedAt)
    {
        _process = process;
        _control = control;
    }

    /// <summary>Bookkeeping only, without a process: what the pool's pure logic (and its tests) need.</summary>
    public WorkerHandle(int id, int generation, int pid, long startedAt)
    {
        Id = id;
        Generation = generation;
        Pid = pid;
        StartedAt = startedAt;
        LastHeartbeat = startedAt;
    }

    /// <summary>A number unique among the workers this master started (age order).</summary>
    public int Id { get; }

    /// <summary>The reload phase the worker was started in; a HUP starts the next one.</summary>
    public int Generation { get; }

    public int Pid { get; }

    /// <summary>The listening-socket slot it serves (with <c>--reuse-port</c>; 0 otherwise).</summary>
    public int Slot { get; init; }

    /// <summary>
    /// <c>--timeout</c> of the generation that started it: after a HUP that changes it, old workers
    /// are still judged by the value they run with, not the new one.
    /// </summary>
    public TimeSpan HangTimeout { get; init; }

    /// <summary><c>--graceful-timeout</c> of the generation that started it (see <see cref="HangTimeout"/>).</summary>
    public TimeSpan GracefulTimeout { get; init; }

    public Process Process => _process ?? throw new InvalidOperationException("no process attached");

    public ControlChannel Control => _control ?? throw new InvalidOperationException("no control channel attached");

    public WorkerPhase Phase { get; set; } = WorkerPhase.Booting;

    /// <summary>In master milliseconds (<see cref="MasterClock"/>).</summary>
    public long StartedAt { get; }

    /// <summary>When the worker last reported, in master milliseconds.</summary>
    public long LastHeartbeat { get; set; }

    public long RequestCount { get; set; }

    /// <summary>How long the oldest request in progress has run, as last reported (0 when idle).</summary>
    public long OldestRequestMilliseconds { get; set; }

    /// <summary>The worker's metrics as last reported (null until the first report, or when metrics are off).</summary>
    public MetricsReport? Metrics { get; set; }

    /// <summary>Resident memory, as last read from /proc.</summary>
    public long ResidentBytes { get; set; }

    /// <summary>Why the master wants this worker replaced (memory, ...); it serves until its replacement is ready.</summary>
    public string? RetireReason { get; set; }

    /// <summary>When a stopping worker is killed if it has not exited.</summary>
    public long StopDeadline { get; set; } = long.MaxValue;

    /// <summary>Set when the worker missed its heartbeat and was sent SIGABRT.</summary>
    public bool TimedOut { get; set; }

    /// <summary>Why the worker could not boot, when it said so before exiting.</summary>
    public string? BootError { get; set; }

    public int? BootExitCode { get; set; }

    /// <summary>Whether it has said <c>ready</c> (which it says once).</summary>
    public bool ReportedReady { get; set; }

    /// <summary>Set when what it sent broke the control protocol: it was killed, and nothing it says is believed any more.</summary>
    public string? ProtocolViolation { get; set; }

    public void Dispose()
    {
        _control?.Dispose();
        _process?.Dispose();
    }
}
