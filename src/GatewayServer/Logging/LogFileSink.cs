using System.Buffers;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace GatewayServer.Logging;

/// <summary>
/// The Serilog sink of the error log: formats each event into a reused per-thread buffer and hands
/// the whole line to <see cref="LogFile"/> in one write. Serilog's console and file sinks are not
/// used because they neither open files with <c>O_APPEND</c> (several processes share the file)
/// nor reopen them on SIGUSR1.
/// </summary>
internal sealed class LogFileSink : ILogEventSink
{
    [ThreadStatic]
    private static StringWriter? t_text;

    private readonly LogFile _file;
    private readonly ITextFormatter _formatter;

    public LogFileSink(LogFile file, ITextFormatter formatter)
    {
        _file = file;
        _formatter = formatter;
    }

    public void Emit(LogEvent logEvent)
    {
        StringWriter text = t_text ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        StringBuilder builder = text.GetStringBuilder();
        builder.Clear();
        _formatter.Format(logEvent, text);

        int length = 0;
        foreach (ReadOnlyMemory<char> chunk in builder.GetChunks())
        {
            length += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        byte[] bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = 0;
            foreach (ReadOnlyMemory<char> chunk in builder.GetChunks())
            {
                written += Encoding.UTF8.GetBytes(chunk.Span, bytes.AsSpan(written));
            }

            _file.Write(bytes.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        if (builder.Capacity > 64 * 1024)
        {
            t_text = null;
        }
    }
}
