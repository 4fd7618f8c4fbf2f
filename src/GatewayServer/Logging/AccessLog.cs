using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using HttpVersion = GatewayServer.Http.HttpVersion;
using GatewayServer.Http;

namespace GatewayServer.Logging;

/// <summary>
/// The access log of a worker: one line per response, in the <c>--access-logformat</c> or as one
/// JSON object, formatted into a per-thread reused buffer and written with one <c>write(2)</c>
/// (<see cref="LogFile"/>). It exists only when <c>--access-logfile</c> is set.
/// </summary>
public sealed class AccessLog : IAccessLog, IDisposable
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    private readonly LogFile _file;
    private readonly AccessLogFormat? _format;
    private readonly TimeProvider _time;
    private readonly int _pid;
    private readonly int _workerId;
    private readonly byte[] _pidToken;
    private long _timeSecond = long.MinValue;
    private byte[] _timeText = [];

    private AccessLog(LogFile file, AccessLogFormat? format, TimeProvider time, int workerId)
    {
        _file = file;
        _format = format;
        _time = time;
        _pid = Environment.ProcessId;
        _workerId = workerId;
        _pidToken = Encoding.ASCII.GetBytes($"<{_pid}>");
    }

    /// <summary>
    /// The access log at <paramref name="path"/> (<c>-</c> for standard output) in
    /// <paramref name="format"/>, or as JSON when <paramref name="json"/> is set.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="FormatException">The format has an unknown token.</exception>
    public static AccessLog Open(string path, string format, bool json, TimeProvider time, int workerId)
    {
        AccessLogFormat? parsed = json ? null : AccessLogFormat.Parse(format);
        return new AccessLog(LogFile.Open(path, LogFile.StandardOutput), parsed, time, workerId);
    }

    /// <summary>An access log writing to <paramref name="file"/>, for tests.</summary>
    internal static AccessLog Create(LogFile file, string? format, TimeProvider time, int workerId) =>
        new(file, format is null ? null : AccessLogFormat.Parse(format), time, workerId);

    public void Reopen() => _file.Reopen();

    public void Log(in AccessLogEntry entry)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        if (_format is null)
        {
            WriteJson(entry, buffer);
        }
        else
        {
            WriteText(entry, buffer);
        }

        buffer.Write("\n"u8);
        _file.Write(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            t_buffer = null;
        }
    }

    public void Dispose() => _file.Dispose();

    internal string Format(in AccessLogEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (_format is null)
        {
            WriteJson(entry, buffer);
        }
        else
        {
            WriteText(entry, buffer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteText(in AccessLogEntry entry, ArrayBufferWriter<byte> output)
    {
        RequestHead head = entry.Head;
        foreach (AccessLogToken token in _format!.Tokens)
        {
            switch (token.Kind)
            {
                case AccessLogTokenKind.Literal:
                    output.Write(token.Text);
                    break;
                case AccessLogTokenKind.RemoteAddress:
                    WriteRemote(entry.Remote, output);
                    break;
                case AccessLogTokenKind.Dash:
                case AccessLogTokenKind.User:
                    output.Write("-"u8);
                    break;
                case AccessLogTokenKind.Time:
                    output.Write(TimeText());
                    break;
                case AccessLogTokenKind.RequestLine:
                    WriteEscaped(head[head.Method], output);
                    output.Write(" "u8);
                    WriteEscaped(head[head.Target], output);
                    output.Write(" "u8);
                    output.Write(Protocol(head));
                    break;
                case AccessLogTokenKind.Method:
                    WriteEscaped(head[head.Method], output);
                    break;
                case AccessLogTokenKind.Path:
                    WriteEscaped(head[head.Path], output);
                    break;
                case AccessLogTokenKind.Query:
                    WriteEscaped(head[head.Query], output);
                    break;
                case AccessLogTokenKind.Protocol:
                    output.Write(Protocol(head));
                    break;
                case AccessLogTokenKind.Status:
                    WriteNumber(entry.Status, output);
                    break;
                case AccessLogTokenKind.Bytes:
                    WriteNumber(entry.Bytes, output);
                    break;
                case AccessLogTokenKind.BytesOrDash:
                    if (entry.Bytes == 0)
                    {
                        output.Write("-"u8);
                    }
                    else
                    {
                        WriteNumber(entry.Bytes, output);
                    }

                    break;
                case AccessLogTokenKind.Referer:
                    WriteRequestHeader(head, "referer"u8, output);
                    break;
                case AccessLogTokenKind.UserAgent:
                    WriteRequestHeader(head, "user-agent"u8, output);
                    break;
                case AccessLogTokenKind.Seconds:
                    WriteNumber((long)Elapsed(entry).TotalSeconds, output);
                    break;
                case AccessLogTokenKind.Milliseconds:
                    WriteNumber((long)Elapsed(entry).TotalMilliseconds, output);
                    break;
                case AccessLogTokenKind.Microseconds:
                    WriteNumber(Elapsed(entry).Ticks / 10, output);
                    break;
                case AccessLogTokenKind.DecimalSeconds:
                    WriteDecimalSeconds(Elapsed(entry), output);
                    break;
                case AccessLogTokenKind.ProcessId:
                    output.Write(_pidToken);
                    break;
                case AccessLogTokenKind.RequestHeader:
                    WriteRequestHeader(head, token.Text, output);
                    break;
                case AccessLogTokenKind.ResponseHeader:
                    WriteResponseHeader(entry, token.Text, output);
                    break;
            }
        }
    }

    private void WriteJson(in AccessLogEntry entry, ArrayBufferWriter<byte> output)
    {
        Utf8JsonWriter json = t_json ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.Reset(output);
        RequestHead head = entry.Head;
        json.WriteStartObject();
        json.WriteString("timestamp"u8, _time.GetUtcNow().UtcDateTime);
        json.WriteString("level"u8, "info"u8);
        json.WriteNumber("pid"u8, _pid);
        json.WriteNumber("worker_id"u8, _workerId);
        if (entry.RequestId.IsEmpty)
        {
            json.WriteNull("request_id"u8);
        }
        else
        {
            json.WriteString("request_id"u8, entry.RequestId);
        }

        json.WritePropertyName("remote_addr"u8);
        if (entry.Remote is IPEndPoint remote)
        {
            Span<byte> address = stackalloc byte[64];
            json.WriteStringValue(remote.Address.TryFormat(address, out int length) ? address[..length] : "-"u8);
        }
        else
        {
            json.WriteStringValue("-"u8);
        }

        WriteJsonText(json, "method"u8, head[head.Method]);
        WriteJsonText(json, "path"u8, head[head.Path]);
        WriteJsonText(json, "query"u8, head[head.Query]);
        json.WriteString("protocol"u8, Protocol(head));
        json.WriteNumber("status"u8, entry.Status);
        json.WriteNumber("bytes"u8, entry.Bytes);
        json.WriteNumber("duration"u8, Math.Round(Elapsed(entry).TotalSeconds, 6));
        WriteJsonHeader(json, "referer"u8, head, "referer"u8);
        WriteJsonHeader(json, "user_agent"u8, head, "user-agent"u8);
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteJsonText(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // Request bytes are Latin-1 (RFC 9110 section 5.5); only ASCII is also valid UTF-8.
        if (Ascii.IsValid(value))
        {
            json.WriteString(name, value);
        }
        else
        {
            json.WriteString(name, Encoding.Latin1.GetString(value));
        }
    }

    private static void WriteJsonHeader(Utf8JsonWriter json, ReadOnlySpan<byte> property, RequestHead head, ReadOnlySpan<byte> header)
    {
        foreach (HeaderField field in head.Headers)
        {
            if (Ascii.EqualsIgnoreCase(head[field.Name], header))
            {
                WriteJsonText(json, property, head[field.Value]);
                return;
            }
        }

        json.WriteNull(property);
    }

    private TimeSpan Elapsed(in AccessLogEntry entry) => _time.GetElapsedTime(entry.StartTimestamp, entry.EndTimestamp);

    private static ReadOnlySpan<byte> Protocol(RequestHead head) => head.Version == HttpVersion.Http11 ? "HTTP/1.1"u8 : "HTTP/1.0"u8;

    /// <summary>The time as Gunicorn writes it, <c>[10/Oct/2000:13:55:36 -0700]</c>; formatted once a second.</summary>
    private byte[] TimeText()
    {
        DateTimeOffset now = _time.GetLocalNow();
        long second = now.ToUnixTimeSeconds();
        byte[] text = Volatile.Read(ref _timeText);
        if (second != Volatile.Read(ref _timeSecond))
        {
            TimeSpan offset = now.Offset;
            char sign = offset < TimeSpan.Zero ? '-' : '+';
            offset = offset.Duration();
            text = Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"[{now:dd/MMM/yyyy:HH:mm:ss} {sign}{offset.Hours:00}{offset.Minutes:00}]"));
            Volatile.Write(ref _timeText, text);
            Volatile.Write(ref _timeSecond, second);
        }

        return text;
    }

    private static void WriteRemote(EndPoint? remote, ArrayBufferWriter<byte> output)
    {
        if (remote is IPEndPoint ip && ip.Address.TryFormat(output.GetSpan(64), out int written))
        {
            output.Advance(written);
        }
        else
        {
            output.Write("-"u8);
        }
    }

    private static void WriteRequestHeader(RequestHead head, ReadOnlySpan<byte> name, ArrayBufferWriter<byte> output)
    {
        foreach (HeaderField field in head.Headers)
        {
            if (Ascii.EqualsIgnoreCase(head[field.Name], name))
            {
                WriteEscaped(head[field.Value], output);
                return;
            }
        }

        output.Write("-"u8);
    }

    private static void WriteResponseHeader(in AccessLogEntry entry, ReadOnlySpan<byte> name, ArrayBufferWriter<byte> output)
    {
        if (!entry.RequestId.IsEmpty && Ascii.EqualsIgnoreCase(name, "x-request-id"u8))
        {
            output.Write(entry.RequestId);
            return;
        }

        if (entry.ResponseHeaders is { } headers)
        {
            for (int i = 0; i < headers.Count; i++)
            {
                if (Ascii.EqualsIgnoreCase(headers[i].Key, name))
                {
                    string value = headers[i].Value;
                    Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
                    int written = Encoding.UTF8.GetBytes(value, span);
                    EscapeInPlace(output, span[..written]);
                    return;
                }
            }
        }

        output.Write("-"u8);
    }

    private static void EscapeInPlace(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> written)
    {
        if (written.IndexOfAnyExcept(SafeBytes) < 0)
        {
            output.Advance(written.Length);
            return;
        }

        byte[] copy = written.ToArray();
        WriteEscaped(copy, output);
    }

    private static readonly SearchValues<byte> SafeBytes = SearchValues.Create(CreateSafeBytes());

    private static byte[] CreateSafeBytes()
    {
        var safe = new List<byte>();
        for (int b = 0x20; b < 0x7F; b++)
        {
            if (b is not '"' and not '\\')
            {
                safe.Add((byte)b);
            }
        }

        return [.. safe];
    }

    /// <summary>Copies <paramref name="value"/>, writing quotes, backslashes, controls and non-ASCII bytes as <c>\xHH</c> (as nginx does) so a line cannot be forged.</summary>
    private static void WriteEscaped(ReadOnlySpan<byte> value, ArrayBufferWriter<byte> output)
    {
        while (!value.IsEmpty)
        {
            int unsafeAt = value.IndexOfAnyExcept(SafeBytes);
            if (unsafeAt < 0)
            {
                output.Write(value);
                return;
            }

            output.Write(value[..unsafeAt]);
            Span<byte> escape = output.GetSpan(4);
            escape[0] = (byte)'\\';
            escape[1] = (byte)'x';
            escape[2] = (byte)"0123456789abcdef"[value[unsafeAt] >> 4];
            escape[3] = (byte)"0123456789abcdef"[value[unsafeAt] & 0xF];
            output.Advance(4);
            value = value[(unsafeAt + 1)..];
        }
    }

    private static void WriteNumber(long value, ArrayBufferWriter<byte> output)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out int written);
        output.Advance(written);
    }

    private static void WriteDecimalSeconds(TimeSpan elapsed, ArrayBufferWriter<byte> output)
    {
        Utf8Formatter.TryFormat(elapsed.TotalSeconds, output.GetSpan(32), out int written, new StandardFormat('F', 6));
        output.Advance(written);
    }
}
