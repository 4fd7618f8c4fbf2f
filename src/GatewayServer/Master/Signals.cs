namespace GatewayServer.Master;

/// <summary>Linux signal numbers the master sends to workers.</summary>
internal static class Signals
{
    public const int Quit = 3;
    public const int Kill = 9;
    public const int Usr1 = 10;
    public const int Term = 15;

    /// <summary>SIGUSR1 for <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>, which takes raw Linux numbers.</summary>
    public const System.Runtime.InteropServices.PosixSignal Usr1Signal = (System.Runtime.InteropServices.PosixSignal)Usr1;
}
