using System.Runtime.InteropServices;
using GatewayServer.Configuration;
using GatewayServer.Logging;

namespace GatewayServer.Worker;

/// <summary>
/// The logs of one worker, opened from the settings the master sent: the error log (tagged with
/// the worker's pid and id), the access log when it is on, and the app's captured Console output
/// with <c>--capture-output</c>. SIGUSR1 reopens the files. Each worker opens the files itself, so
/// a recycled worker logs like the first.
/// </summary>
internal sealed class WorkerLogs : IDisposable
{
    /// <summary>SIGUSR1, which <see cref="PosixSignalRegistration"/> takes as a raw Linux number.</summary>
    public const PosixSignal ReopenSignal = (PosixSignal)10;

    private WorkerLogs(ErrorLog error, AccessLog? access, string? failure)
    {
        Error = error;
        Access = access;
        Failure = failure;
    }

    public ErrorLog Error { get; }

    /// <summary>Null when the access log is off.</summary>
    public AccessLog? Access { get; }

    /// <summary>Why a log could not be opened; the worker cannot boot then.</summary>
    public string? Failure { get; }

    public static WorkerLogs Open(ServerSettings settings, int workerId)
    {
        bool json = settings.Get(Settings.LogFormat) == "json";
        LogLevel level = ErrorLog.ParseLevel(settings.Get(Settings.LogLevel));
        ErrorLog error;
        try
        {
            error = ErrorLog.Open(settings.Get(Settings.ErrorLogfile), level, json, workerId);
        }
        catch (IOException failure)
        {
            return new WorkerLogs(ErrorLog.ToStandardError(level), null, failure.Message);
        }

        AccessLog? access = null;
        string accessPath = settings.Get(Settings.AccessLogfile);
        if (accessPath.Length > 0)
        {
            try
            {
                access = AccessLog.Open(accessPath, settings.Get(Settings.AccessLogFormat), json, TimeProvider.System, workerId);
            }
            catch (IOException failure)
            {
                return new WorkerLogs(error, null, failure.Message);
            }
        }

        if (settings.Get(Settings.CaptureOutput))
        {
            Console.SetOut(new LogLineWriter(line => error.Info("{output}", line)));
            Console.SetError(new LogLineWriter(line => error.Error("{output}", line)));
        }

        return new WorkerLogs(error, access, null);
    }

    /// <summary>SIGUSR1: reopen both files (the signal's handler runs on a thread-pool thread, not in signal context).</summary>
    public void OnReopenSignal(PosixSignalContext signal)
    {
        signal.Cancel = true;
        try
        {
            Error.Reopen();
            Access?.Reopen();
        }
        catch (IOException failure)
        {
            Error.Error("Cannot reopen the logs: {reason}", failure.Message);
        }
    }

    public void Dispose()
    {
        Access?.Dispose();
        Error.Dispose();
    }
}
