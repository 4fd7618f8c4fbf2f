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
public static class ShutdownSignals
{
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;
    private const int SigTerm = 15;
    private const int SigTtin = 21;
    private const int SigTtou = 22;
    private const int SigWinch = 28;
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    /// <summary>
    /// Turns an inherited "ignore" of any signal the master handles back into the default. Call it first thing in
    /// the master, before anything initialises .NET's signal handling (Console, Process,
    /// PosixSignalRegistration): .NET reads the disposition once, on that first use. Workers need
    /// not call it: exec resets caught signals to the default, so they inherit no SIG_IGN.
    /// </summary>
    public static unsafe void ReclaimIgnored()
    {
        // Larger than struct sigaction on every Linux libc; only its first field, the handler, is read.
        byte* current = stackalloc byte[256];
        foreach (int signal in (ReadOnlySpan<int>)[SigHup, SigInt, SigQuit, SigUsr1, SigUsr2, SigTerm, SigTtin, SigTtou, SigWinch])
        {
            if (Libc.sigaction(signal, null, current) == 0 && *(nint*)current == SigIgn)
            {
                Libc.signal(signal, SigDfl);
            }
        }
    }
}
