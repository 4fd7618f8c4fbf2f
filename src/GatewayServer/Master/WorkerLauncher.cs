using System.Diagnostics;
using System.Globalization;
using GatewayServer.Control;
using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// Starts a worker: .NET cannot fork, so the worker is a new process of the same executable. It
/// inherits the listening sockets (their close-on-exec flag is cleared) and one end of a fresh
/// control channel, and learns which descriptors those are from its environment.
/// </summary>
public sealed class WorkerLauncher
{
    private readonly IReadOnlyList<Listener> _listeners;
    private readonly string _listenDescriptors;

    public WorkerLauncher(IReadOnlyList<Listener> listeners)
    {
        _listeners = listeners;
        foreach (Listener listener in listeners)
        {
            Libc.SetInheritable(listener.Descriptor, true);
        }

        _listenDescriptors = string.Join(",", listeners.Select(l => l.Descriptor.ToString(CultureInfo.InvariantCulture)));
    }

    public WorkerHandle Launch(int id, WorkerHandshake handshake)
    {
        (ControlChannel control, int childEnd) = ControlChannel.CreatePair();
        Process process;
        try
        {
            // Only this thread spawns, so no other child can inherit this worker's end.
            Libc.SetInheritable(childEnd, true);
            process = Process.Start(CreateStartInfo(childEnd, handshake.Target))!;
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

        var handle = new WorkerHandle(id, process, control, Environment.TickCount64);
        foreach (string line in handshake.ToLines())
        {
            control.TrySend(line);
        }

        return handle;
    }

    private ProcessStartInfo CreateStartInfo(int controlDescriptor, string target)
    {
        (string executable, string? entryAssembly) = CurrentExecutable();
        var info = new ProcessStartInfo(executable) { UseShellExecute = false };
        if (entryAssembly is not null)
        {
            info.ArgumentList.Add(entryAssembly);
        }

        // Only for ps and top: the worker takes everything else from its control channel.
        info.ArgumentList.Add("worker");
        info.ArgumentList.Add(target);
        info.Environment[WorkerEnvironment.ControlDescriptor] = controlDescriptor.ToString(CultureInfo.InvariantCulture);
        info.Environment[WorkerEnvironment.ListenDescriptors] = _listenDescriptors;
        return info;
    }

    /// <summary>The apphost, or <c>dotnet</c> plus the entry assembly when started as <c>dotnet gwserve.dll</c>.</summary>
    private static (string Executable, string? EntryAssembly) CurrentExecutable()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        string name = Path.GetFileNameWithoutExtension(process);
        if (name.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            string entry = System.Reflection.Assembly.GetEntryAssembly()?.Location
                ?? throw new InvalidOperationException("cannot find the entry assembly");
            return (process, entry);
        }

        return (process, null);
    }

    public int ListenerCount => _listeners.Count;
}
