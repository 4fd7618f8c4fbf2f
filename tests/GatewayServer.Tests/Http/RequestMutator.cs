using System.Text;

namespace GatewayServer.Tests.Http;

/// <summary>A seeded source of mutated and random requests for the randomized and corpus tests.</summary>
internal sealed class RequestMutator(int seed)
{
    private static readonly byte[] Interesting = Encoding.Latin1.GetBytes("\r\n :;,\t\0\"\\=0159aAfF-+_/?#*@[]\u007f\u0080\u00ff");

    private static readonly string[] HeaderNames =
    [
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "X-A", "content-length", "transfer-encoding", "TE", "Trailer",
    ];

    private static readonly string[] HeaderValues =
    [
        "chunked", "5", "0", "close", "keep-alive", "100-continue", "example.com", "gzip, chunked", " chunked ", "-1", "1,1", "", "x\ty",
    ];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        int edits = _random.Next(1, 5);
        for (int i = 0; i < edits; i++)
        {
            int at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
            switch (_random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4 when bytes.Count > 0:
                    bytes[at] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 5:
                    bytes.InsertRange(at, Encoding.Latin1.GetBytes(HeaderLine()));
                    break;
                default:
                    int length = Math.Min(bytes.Count - at, _random.Next(1, 20));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>A request line followed by random header lines, maybe with a body.</summary>
    public byte[] HeaderSoup()
    {
        var text = new StringBuilder();
        text.Append(_random.Next(4) switch { 0 => "POST", 1 => "GET", 2 => "OPTIONS", _ => "CONNECT" })
            .Append(' ').Append(_random.Next(4) switch { 0 => "/", 1 => "*", 2 => "http://h/x", _ => "h:1" })
            .Append(_random.Next(5) == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        int count = _random.Next(0, 8);
        for (int i = 0; i < count; i++)
        {
            text.Append(HeaderLine());
        }

        text.Append("\r\n");
        if (_random.Next(2) == 0)
        {
            text.Append("5\r\nhello\r\n0\r\n\r\n");
        }

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public int Next(int min, int max) => _random.Next(min, max);

    private string HeaderLine() =>
        HeaderNames[_random.Next(HeaderNames.Length)] + ":" + (_random.Next(2) == 0 ? " " : "") + HeaderValues[_random.Next(HeaderValues.Length)] + "\r\n";
}
