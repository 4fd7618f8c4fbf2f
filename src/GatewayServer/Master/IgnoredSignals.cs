using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// Makes sure the master can hear the signals it handles. A process may start with some ignored:
/// a non-interactive shell starts every background job (<c>gwserve app &amp;</c>) with SIGINT and
/// SIGQUIT ignored, and <c>nohup</c> ignores SIGHUP. .NET honours an inherited SIG_IGN and then
/// never calls a <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/> for it, so
/// such a master could not be stopped with SIGINT or SIGQUIT, or reloaded with SIGHUP, at all.
/// Gunicorn's arbiter installs its handlers whatever it inherited; gwserve does the same by
/// putting the default disposition back first. (A hang-up of the terminal then reloads, as under
/// Gunicorn, rather than stopping the server.)
/// </summary>
public static class IgnoredSignals
{
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    /// <summary>
    /// Turns an inherited "ignore" of any signal the master handles back into the default. Call it
    /// first thing in the master, before anything initialises .NET's signal handling (Console, Process,
    /// PosixSignalRegistration): .NET reads the disposition once, on that first use. Workers need
    /// not call it: exec resets caught signals to the default, so they inherit no SIG_IGN.
    /// </summary>
    public static unsafe void Reclaim()
    {
        // Larger than struct sigaction on every Linux libc; only its first field, the handler, is read.
        byte* current = stackalloc byte[256];
        foreach (System.Runtime.InteropServices.PosixSignal handled in Signals.Handled)
        {
            int signal = Signals.Number(handled);
            if (Libc.sigaction(signal, null, current) == 0 && *(nint*)current == SigIgn)
            {
                Libc.signal(signal, SigDfl);
            }
        }
    }
}
