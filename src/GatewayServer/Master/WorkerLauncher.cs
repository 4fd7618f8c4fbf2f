using System.Diagnostics;
using System.Globalization;
using GatewayServer.Control;
using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// Starts a worker: .NET cannot fork, so the worker is a new process of the same executable. It
/// inherits the listening sockets of its slot (their close-on-exec flag is cleared) and one end of
/// a fresh control channel, and learns which descriptors those are from its environment.
/// </summary>
public sealed class WorkerLauncher
{
    private readonly ListenerSet _listeners;

    public WorkerLauncher(ListenerSet listeners)
    {
        _listeners = listeners;
    }

    public WorkerHandle Launch(int id, int generation, int slot, long now, WorkerHandshake handshake)
    {
        (ControlChannel control, int childEnd) = ControlChannel.CreatePair();
        Process process;
        try
        {
            // Only this thread spawns, so no other child can inherit this worker's end.
            Libc.SetInheritable(childEnd, true);
            process = Process.Start(CreateStartInfo(childEnd, handshake.Target, _listeners.DescriptorsFor(slot)))!;
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

        var handle = new WorkerHandle(id, generation, process, control, now) { Slot = slot };
        foreach (string line in handshake.ToLines())
        {
            control.TrySend(line);
        }

        return handle;
    }

    private static ProcessStartInfo CreateStartInfo(int controlDescriptor, string target, string listenDescriptors)
    {
        ProcessStartInfo info = CurrentExecutable.StartInfo();

        // Only for ps and top: the worker takes everything else from its control channel.
        info.ArgumentList.Add("worker");
        info.ArgumentList.Add(target);
        info.Environment[WorkerEnvironment.ControlDescriptor] = controlDescriptor.ToString(CultureInfo.InvariantCulture);
        info.Environment[WorkerEnvironment.ListenDescriptors] = listenDescriptors;
        return info;
    }
}
