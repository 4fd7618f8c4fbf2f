using System.Buffers.Text;
using System.Text;

namespace GatewayServer.Http.Response;

/// <summary>
/// The responses the server sends on its own behalf (4xx for bad requests, 500 for a failed
/// application): a short text body and always <c>Connection: close</c>, because after an error
/// nothing more on the connection can be trusted.
/// </summary>
public static class ErrorResponseWriter
{
    public const int MaxLength = 512;

    public static int Write(Span<byte> destination, int status, ReadOnlySpan<byte> serverLine, ReadOnlySpan<byte> dateLine)
    {
        string reason = ReasonPhrases.For(status) is { Length: > 0 } phrase ? phrase : "Error";
        int written = Encoding.ASCII.GetBytes("HTTP/1.1 ", destination);
        Utf8Formatter.TryFormat(status, destination[written..], out int digits);
        written += digits;
        destination[written++] = (byte)' ';
        written += Encoding.ASCII.GetBytes(reason, destination[written..]);
        written += Encoding.ASCII.GetBytes("\r\n", destination[written..]);
        serverLine.CopyTo(destination[written..]);
        written += serverLine.Length;
        dateLine.CopyTo(destination[written..]);
        written += dateLine.Length;
        written += Encoding.ASCII.GetBytes("Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n", destination[written..]);
        written += ResponseHeadWriter.WriteContentLength(destination[written..], reason.Length + 1);
        written += Encoding.ASCII.GetBytes("\r\n", destination[written..]);
        written += Encoding.ASCII.GetBytes(reason, destination[written..]);
        destination[written++] = (byte)'\n';
        return written;
    }
}
