namespace GatewayServer.Master;

/// <summary>What gwserve's exit code means (docs/cli.md lists them).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The server could not start: a socket could not be bound, a setting was wrong.</summary>
    public const int StartupFailed = 1;

    /// <summary>The command line could not be parsed.</summary>
    public const int Usage = 2;

    /// <summary>Workers kept dying while booting (Gunicorn's WORKER_BOOT_ERROR).</summary>
    public const int WorkerBootFailed = Control.WorkerMessages.BootFailedExitCode;

    /// <summary>The lowest code of the app-load failures (4 to 10; Gunicorn uses 4 for APP_LOAD_ERROR).</summary>
    public const int FirstAppLoadFailure = 4;

    public const int LastAppLoadFailure = 10;

    public static bool IsAppLoadFailure(int code) => code is >= FirstAppLoadFailure and <= LastAppLoadFailure;
}
