using System.Runtime.InteropServices;

namespace GatewayServer.Master;

/// <summary>Something the master's loop must act on. Signal handlers and process watchers only queue these.</summary>
public abstract record MasterEvent
{
    public sealed record SignalReceived(PosixSignal Signal) : MasterEvent;

    public sealed record WorkerExited(WorkerHandle Worker) : MasterEvent;

    public sealed record WorkerMessage(WorkerHandle Worker, string Line) : MasterEvent;

    /// <summary>The master started by USR2 exited.</summary>
    public sealed record SuccessorExited(int Pid, int ExitCode) : MasterEvent;

    public sealed record Tick : MasterEvent;

    /// <summary>The metrics endpoint or the control socket wants the pool as it is now; answered on the loop.</summary>
    public sealed record SnapshotRequested(TaskCompletionSource<PoolSnapshot> Reply) : MasterEvent;

    /// <summary>A watched file changed (<c>--reload</c>); the path is the first one seen.</summary>
    public sealed record FilesChanged(string Path) : MasterEvent;
}
