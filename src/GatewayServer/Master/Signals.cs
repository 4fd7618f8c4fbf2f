using System.Runtime.InteropServices;

namespace GatewayServer.Master;

/// <summary>
/// Linux signal numbers: those the master sends to workers, and those it handles that .NET names
/// only for Unix (or not at all). Raw numbers cast to <see cref="PosixSignal"/> are registered as
/// such by <see cref="PosixSignalRegistration"/> on Linux.
/// </summary>
internal static class Signals
{
    public const int Hup = 1;
    public const int Int = 2;
    public const int Quit = 3;
    public const int Abort = 6;
    public const int Kill = 9;
    public const int Usr1 = 10;
    public const int Term = 15;

    /// <summary>SIGUSR1 for <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>, which takes raw Linux numbers.</summary>
    public const System.Runtime.InteropServices.PosixSignal Usr1Signal = (System.Runtime.InteropServices.PosixSignal)Usr1;

    public static readonly PosixSignal Usr2 = (PosixSignal)12;
    public static readonly PosixSignal Ttin = (PosixSignal)21;
    public static readonly PosixSignal Ttou = (PosixSignal)22;
    public static readonly PosixSignal Winch = (PosixSignal)28;

    /// <summary>Every signal the master handles (<see cref="SignalQueue"/>), and so must not inherit ignored (<see cref="IgnoredSignals"/>).</summary>
    public static readonly PosixSignal[] Handled =
    [
        PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP,
        Ttin, Ttou, Winch, Usr1Signal, Usr2,
    ];

    /// <summary>The Linux number of a signal, whether given by .NET's name or raw.</summary>
    public static int Number(PosixSignal signal) => (int)signal switch
    {
        -1 => Hup,
        -2 => Int,
        -3 => Quit,
        -4 => Term,
        -7 => 28,
        -8 => 21,
        -9 => 22,
        int raw => raw,
    };

    public static string Name(PosixSignal signal) => Number(signal) switch
    {
        1 => "hup",
        2 => "int",
        3 => "quit",
        10 => "usr1",
        12 => "usr2",
        15 => "term",
        21 => "ttin",
        22 => "ttou",
        28 => "winch",
        int other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
