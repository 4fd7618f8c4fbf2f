using System.Text;

namespace GatewayServer.Operations;

/// <summary>
/// The one thing the health endpoint reads of a request: a request line <c>GET /path HTTP/1.x</c>
/// (or HEAD), from a head that is already complete and bounded. Everything else in the head is
/// ignored; anything unusual is simply not a request it answers (400). This is not gwserve's HTTP
/// parser and needs none of it: three fixed paths, fixed responses.
/// </summary>
public readonly record struct HealthRequest(bool IsHead, string Path)
{
    /// <summary>Longest head read; more is answered 431.</summary>
    public const int MaxHeadLength = 8192;

    /// <summary>The request line of <paramref name="head"/>, or null when it is not a GET or HEAD of an origin-form path.</summary>
    public static HealthRequest? Parse(ReadOnlySpan<byte> head)
    {
        int end = head.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> line = end < 0 ? head : head[..end];
        int first = line.IndexOf((byte)' ');
        int last = line.LastIndexOf((byte)' ');
        if (first <= 0 || last <= first || !line[(last + 1)..].StartsWith("HTTP/1."u8))
        {
            return null;
        }

        ReadOnlySpan<byte> method = line[..first];
        ReadOnlySpan<byte> target = line[(first + 1)..last];
        if (target.Length == 0 || target[0] != '/' || target.ContainsAnyInRange((byte)0, (byte)' ') || target.ContainsAnyInRange((byte)0x7F, (byte)0xFF))
        {
            return null;
        }

        int query = target.IndexOf((byte)'?');
        string path = Encoding.ASCII.GetString(query < 0 ? target : target[..query]);
        return method.SequenceEqual("GET"u8) ? new HealthRequest(false, path)
            : method.SequenceEqual("HEAD"u8) ? new HealthRequest(true, path)
            : new HealthRequest(false, string.Empty);
    }
}
