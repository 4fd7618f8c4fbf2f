using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// Makes sure the master can hear its quick-shutdown signals. A process may start with SIGINT and
/// SIGQUIT ignored: a non-interactive shell starts every background job (<c>gwserve app &amp;</c>)
/// that way. .NET honours an inherited SIG_IGN for these two and then never calls a
/// <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/> for them, so such a master
/// could not be stopped with SIGINT or SIGQUIT at all. Gunicorn's arbiter installs its handlers
/// whatever it inherited; gwserve does the same by putting the default disposition back first.
/// </summary>
public static class ShutdownSignals
{
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    /// <summary>
    /// Turns an inherited "ignore" of SIGINT/SIGQUIT back into the default. Call it first thing in
    /// the master, before anything initialises .NET's signal handling (Console, Process,
    /// PosixSignalRegistration): .NET reads the disposition once, on that first use. Workers need
    /// not call it: exec resets caught signals to the default, so they inherit no SIG_IGN.
    /// </summary>
    public static unsafe void ReclaimIgnored()
    {
        // Larger than struct sigaction on every Linux libc; only its first field, the handler, is read.
        byte* current = stackalloc byte[256];
        foreach (int signal in (ReadOnlySpan<int>)[SigInt, SigQuit])
        {
            if (Libc.sigaction(signal, null, current) == 0 && *(nint*)current == SigIgn)
            {
                Libc.signal(signal, SigDfl);
            }
        }
    }
}
