using System.Diagnostics;
using System.Globalization;

namespace GatewayServer.Master;

/// <summary>
/// USR2, Gunicorn's binary upgrade: start a new master from the executable now on disk, with the
/// same command line, handing it the listening sockets (inherited descriptors, named in
/// <see cref="MasterEnvironment.InheritDescriptors"/>) instead of letting it bind. Both masters
/// then serve side by side; once the new one's workers are ready the operator sends TERM to the
/// old one. The new master gets a new pid (.NET cannot exec in place).
/// </summary>
internal static class MasterReexec
{
    public static Process Start(ListenerSet listeners, IReadOnlyList<Transport.ActivatedSocket>? activated)
    {
        ProcessStartInfo info = CurrentExecutable.StartInfo();
        string[] arguments = Environment.GetCommandLineArgs();
        for (int i = 1; i < arguments.Length; i++)
        {
            info.ArgumentList.Add(arguments[i]);
        }

        info.Environment[MasterEnvironment.InheritDescriptors] = string.Join(",",
            listeners.Primary.Select(l => l.Descriptor.ToString(CultureInfo.InvariantCulture)));
        if (activated is not null)
        {
            info.Environment[MasterEnvironment.InheritActivated] = Transport.SocketActivation.FormatNames(activated);
        }

        // systemd's watchdog follows MAINPID, which this master moves to the successor.
        info.Environment.Remove(SystemdNotifier.WatchdogPidVariable);
        // The successor adopts the first slot's sockets only (it opens its own for the others).
        using ListenerSet.InheritedSlot sockets = listeners.Inherit(0);
        return Process.Start(info) ?? throw new InvalidOperationException("the new master did not start");
    }
}
