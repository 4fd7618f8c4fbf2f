using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace GatewayServer.Logging;

/// <summary>
/// The error log of one process (master or worker), built on Serilog. Messages are constant
/// templates with structured values (<c>log.Info("Worker ready (pid: {pid})", pid)</c>); each event
/// becomes one line, Gunicorn's <c>[time] [pid] [LEVEL] message</c> or one JSON object, written
/// with a single <c>write(2)</c> to standard error or a file opened for appending (see
/// <see cref="LogFile"/>), so lines from several processes never interleave mid-line.
/// </summary>
public sealed class ErrorLog : IDisposable
{
    private readonly Logger _logger;
    private readonly LogFile _file;

    private ErrorLog(LogFile file, LogLevel minimum, bool json, int? workerId)
    {
        _file = file;
        Minimum = minimum;
        Serilog.Formatting.ITextFormatter formatter = json
            ? new ErrorLogJsonFormatter(Environment.ProcessId, workerId)
            : new ErrorLogTextFormatter(Environment.ProcessId);
        _logger = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(minimum))
            .WriteTo.Sink(new LogFileSink(file, formatter))
            .CreateLogger();
    }

    public LogLevel Minimum { get; }

    /// <summary>Where the log goes: a path, or <c>-</c> for standard error.</summary>
    public string Path => _file.Path;

    /// <summary>The log of this process on standard error, in text.</summary>
    public static ErrorLog ToStandardError(LogLevel minimum) => new(LogFile.StandardError(), minimum, json: false, workerId: null);

    /// <summary>The log at <paramref name="path"/> (<c>-</c> for standard error).</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static ErrorLog Open(string path, LogLevel minimum, bool json, int? workerId) =>
        new(LogFile.Open(path, LogFile.StandardError), minimum, json, workerId);

    public static LogLevel ParseLevel(string name) => name.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => LogLevel.Info,
    };

    /// <summary>Reopens the log file (SIGUSR1); nothing to do on standard error.</summary>
    public void Reopen() => _file.Reopen();

    public void Debug(ref LogTemplate message) => Write(LogEventLevel.Debug, ref message);

    public void Info(ref LogTemplate message) => Write(LogEventLevel.Information, ref message);

    public void Warning(ref LogTemplate message) => Write(LogEventLevel.Warning, ref message);

    public void Error(ref LogTemplate message) => Write(LogEventLevel.Error, ref message);

    public void Critical(ref LogTemplate message) => Write(LogEventLevel.Fatal, ref message);

    public void Debug(string template) => _logger.Write(LogEventLevel.Debug, template);

    public void Debug<T0>(string template, T0 value0) => _logger.Write(LogEventLevel.Debug, template, value0);

    public void Debug<T0, T1>(string template, T0 value0, T1 value1) => _logger.Write(LogEventLevel.Debug, template, value0, value1);

    public void Debug<T0, T1, T2>(string template, T0 value0, T1 value1, T2 value2) =>
        _logger.Write(LogEventLevel.Debug, template, value0, value1, value2);

    public void Info(string template) => _logger.Write(LogEventLevel.Information, template);

    public void Info<T0>(string template, T0 value0) => _logger.Write(LogEventLevel.Information, template, value0);

    public void Info<T0, T1>(string template, T0 value0, T1 value1) => _logger.Write(LogEventLevel.Information, template, value0, value1);

    public void Info<T0, T1, T2>(string template, T0 value0, T1 value1, T2 value2) =>
        _logger.Write(LogEventLevel.Information, template, value0, value1, value2);

    public void Warning(string template) => _logger.Write(LogEventLevel.Warning, template);

    public void Warning<T0>(string template, T0 value0) => _logger.Write(LogEventLevel.Warning, template, value0);

    public void Warning<T0, T1>(string template, T0 value0, T1 value1) => _logger.Write(LogEventLevel.Warning, template, value0, value1);

    public void Warning<T0, T1, T2>(string template, T0 value0, T1 value1, T2 value2) =>
        _logger.Write(LogEventLevel.Warning, template, value0, value1, value2);

    public void Error(string template) => _logger.Write(LogEventLevel.Error, template);

    public void Error<T0>(string template, T0 value0) => _logger.Write(LogEventLevel.Error, template, value0);

    public void Error<T0, T1>(string template, T0 value0, T1 value1) => _logger.Write(LogEventLevel.Error, template, value0, value1);

    public void Error<T0, T1>(Exception error, string template, T0 value0, T1 value1) =>
        _logger.Write(LogEventLevel.Error, error, template, value0, value1);

    public void Critical<T0>(string template, T0 value0) => _logger.Write(LogEventLevel.Fatal, template, value0);

    private void Write(LogEventLevel level, ref LogTemplate message)
    {
        (string template, object?[] values) = message.Build();
        _logger.Write(level, template, values);
    }

    public void Dispose()
    {
        _logger.Dispose();
        _file.Dispose();
    }

    internal static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Info => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    /// <summary>Gunicorn's level names.</summary>
    internal static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        LogEventLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
