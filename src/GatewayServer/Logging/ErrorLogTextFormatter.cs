using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace GatewayServer.Logging;

/// <summary>
/// Gunicorn's error-log line: <c>[2024-05-01 12:00:00 +00:00] [pid] [INFO] message</c>. Values
/// are rendered as they are (strings unquoted); continuation lines of a message or an exception
/// are indented, so every line of the log starts with the time or with spaces.
/// </summary>
internal sealed class ErrorLogTextFormatter : ITextFormatter
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:lj}");

    private readonly string _pid;

    public ErrorLogTextFormatter(int pid)
    {
        _pid = pid.ToString(CultureInfo.InvariantCulture);
    }

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write('[');
        output.Write(logEvent.Timestamp.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
        output.Write("] [");
        output.Write(_pid);
        output.Write("] [");
        output.Write(ErrorLog.LevelName(logEvent.Level));
        output.Write("] ");

        var message = new StringWriter(CultureInfo.InvariantCulture);
        Message.Format(logEvent, message);
        if (logEvent.Exception is not null)
        {
            message.Write('\n');
            message.Write(logEvent.Exception.ToString());
        }

        output.Write(message.ToString().ReplaceLineEndings("\n    "));
        output.Write('\n');
    }
}
