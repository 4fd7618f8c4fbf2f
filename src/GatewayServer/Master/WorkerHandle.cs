using System.Diagnostics;
using GatewayServer.Control;

namespace GatewayServer.Master;

/// <summary>
/// The master's view of one worker process: its pid, phase, control channel and last report.
/// The code that runs inside the worker is elsewhere (<c>Worker</c>); this is only bookkeeping.
/// </summary>
public sealed class WorkerHandle : IDisposable
{
    public WorkerHandle(int id, Process process, ControlChannel control, long startedAt)
    {
        Id = id;
        Process = process;
        Pid = process.Id;
        Control = control;
        StartedAt = startedAt;
        LastHeartbeat = startedAt;
    }

    /// <summary>A number unique among the workers this master started (age order).</summary>
    public int Id { get; }

    public int Pid { get; }

    public Process Process { get; }

    public ControlChannel Control { get; }

    public WorkerPhase Phase { get; set; } = WorkerPhase.Booting;

    public long StartedAt { get; }

    /// <summary>When the worker last reported, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long LastHeartbeat { get; set; }

    public long RequestCount { get; set; }

    /// <summary>Why the worker could not boot, when it said so before exiting.</summary>
    public string? BootError { get; set; }

    public int? BootExitCode { get; set; }

    public void Dispose()
    {
        Control.Dispose();
        Process.Dispose();
    }
}
