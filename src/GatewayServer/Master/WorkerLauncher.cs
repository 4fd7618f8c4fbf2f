using System.Diagnostics;
using System.Globalization;
using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// Starts a worker: .NET cannot fork, so the worker is a new process (<see cref="WorkerExecutable"/>:
/// <c>gwserve-worker</c>, or a development build's own executable). It inherits the listening sockets of its slot (their close-on-exec flag is cleared) and one end of
/// a fresh control channel, and learns which descriptors those are from its environment.
/// </summary>
public sealed class WorkerLauncher
{
    private readonly ListenerSet _listeners;

    private readonly int _scoreboard = ConnectionScoreboard.CreateDescriptor();

    public WorkerLauncher(ListenerSet listeners)
    {
        _listeners = listeners;
        if (_scoreboard >= 0)
        {
            // Every worker maps the same memfd; it lives as long as the master and its workers.
            Libc.SetInheritable(_scoreboard, true);
        }
    }

    public WorkerHandle Launch(int id, int generation, int slot, long now, WorkerHandshake handshake)
    {
        (ControlChannel control, int childEnd) = ControlChannel.CreatePair();
        Process process;
        try
        {
            // Only this thread spawns, so no other child can inherit this worker's end or its sockets.
            Libc.SetInheritable(childEnd, true);
            using ListenerSet.InheritedSlot sockets = _listeners.Inherit(slot);
            process = Process.Start(CreateStartInfo(childEnd, handshake, _listeners.DescriptorsFor(slot)))!;
        }
        catch
        {
            control.Dispose();
            throw;
        }
        finally
        {
            Libc.close(childEnd);
        }

        var handle = new WorkerHandle(id, generation, process, control, now)
        {
            Slot = slot,
            HangTimeout = handshake.Settings.Get(Settings.Timeout),
            GracefulTimeout = handshake.Settings.Get(Settings.GracefulTimeout),
        };
        foreach (string line in handshake.ToLines())
        {
            control.TrySend(line);
        }

        return handle;
    }

    /// <summary>What systemd tells the master alone: a worker that used it would speak for the service.</summary>
    private static readonly string[] MasterOnlyVariables =
    [
        SystemdNotifier.SocketVariable, SystemdNotifier.WatchdogVariable, SystemdNotifier.WatchdogPidVariable,
        SocketActivation.PidVariable, SocketActivation.CountVariable, SocketActivation.NamesVariable,
    ];

    private ProcessStartInfo CreateStartInfo(int controlDescriptor, WorkerHandshake handshake, string listenDescriptors)
    {
        ProcessStartInfo info = WorkerExecutable.StartInfo();

        // Only for ps and top: the worker takes everything else from its control channel.
        info.ArgumentList.Add("worker");
        info.ArgumentList.Add(handshake.Target);
        foreach (string name in MasterOnlyVariables)
        {
            info.Environment.Remove(name);
        }

        // --env KEY=VALUE, per generation: a HUP hands new workers the new values.
        foreach (string entry in handshake.Settings.Get(Configuration.Settings.Env))
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            info.Environment[entry[..equals]] = entry[(equals + 1)..];
        }

        info.Environment[WorkerEnvironment.ControlDescriptor] = controlDescriptor.ToString(CultureInfo.InvariantCulture);
        info.Environment[WorkerEnvironment.ListenDescriptors] = listenDescriptors;
        info.Environment[WorkerEnvironment.ScoreboardDescriptor] = _scoreboard.ToString(CultureInfo.InvariantCulture);
        return info;
    }
}
