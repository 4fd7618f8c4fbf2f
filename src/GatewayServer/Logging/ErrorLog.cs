using System.Globalization;
using System.Text;

namespace GatewayServer.Logging;

/// <summary>
/// The error log of one process (master or worker): one line per message, prefixed with the time,
/// the pid and the level, as Gunicorn writes them. Each line goes out in a single write, so lines
/// from the master and its workers sharing a stream never interleave mid-line.
/// </summary>
public sealed class ErrorLog
{
    private readonly Stream _output;
    private readonly Lock _lock = new();
    private readonly string _pid;

    public ErrorLog(Stream output, LogLevel minimum)
    {
        _output = output;
        Minimum = minimum;
        _pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    public LogLevel Minimum { get; }

    /// <summary>The log of this process on standard error.</summary>
    public static ErrorLog ToStandardError(LogLevel minimum) => new(Console.OpenStandardError(), minimum);

    public static LogLevel ParseLevel(string name) => name.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => LogLevel.Info,
    };

    public bool IsEnabled(LogLevel level) => level >= Minimum;

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Warning(string message) => Write(LogLevel.Warning, message);

    public void Error(string message) => Write(LogLevel.Error, message);

    public void Critical(string message) => Write(LogLevel.Critical, message);

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}] [{_pid}] [{LevelName(level)}] {message.ReplaceLineEndings("\n    ")}\n");
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        lock (_lock)
        {
            try
            {
                _output.Write(bytes);
                _output.Flush();
            }
            catch (IOException)
            {
                // A closed log stream must never take the server down.
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
