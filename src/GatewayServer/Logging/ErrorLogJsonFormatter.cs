using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace GatewayServer.Logging;

/// <summary>
/// One JSON object per error-log event: <c>timestamp</c>, <c>level</c>, <c>pid</c>,
/// <c>worker_id</c> (null in the master), <c>message</c> (rendered), <c>exception</c> when there
/// is one, and the template's values as fields of their own (docs/logging.md).
/// </summary>
internal sealed class ErrorLogJsonFormatter : ITextFormatter
{
    private static readonly MessageTemplateTextFormatter Message = new("{Message:lj}");
    private static readonly JsonValueFormatter Values = new(typeTagName: null);

    private readonly string _pid;
    private readonly string _workerId;

    public ErrorLogJsonFormatter(int pid, int? workerId)
    {
        _pid = pid.ToString(CultureInfo.InvariantCulture);
        _workerId = workerId?.ToString(CultureInfo.InvariantCulture) ?? "null";
    }

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"timestamp\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        output.Write("\",\"level\":\"");
        output.Write(ErrorLog.LevelName(logEvent.Level).ToLowerInvariant());
        output.Write("\",\"pid\":");
        output.Write(_pid);
        output.Write(",\"worker_id\":");
        output.Write(_workerId);
        output.Write(",\"message\":");
        var message = new StringWriter(CultureInfo.InvariantCulture);
        Message.Format(logEvent, message);
        JsonValueFormatter.WriteQuotedJsonString(message.ToString(), output);
        if (logEvent.Exception is not null)
        {
            output.Write(",\"exception\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            if (IsReserved(name))
            {
                continue;
            }

            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            Values.Format(value, output);
        }

        output.Write("}\n");
    }

    private static bool IsReserved(string name) =>
        name is "timestamp" or "level" or "pid" or "worker_id" or "message" or "exception";
}
