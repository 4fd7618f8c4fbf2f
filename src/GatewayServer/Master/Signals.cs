namespace GatewayServer.Master;

/// <summary>Linux signal numbers the master sends to workers.</summary>
internal static class Signals
{
    public const int Quit = 3;
    public const int Kill = 9;
    public const int Term = 15;
}
