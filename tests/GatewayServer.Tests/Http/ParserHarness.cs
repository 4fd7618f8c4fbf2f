using System.Text;
using GatewayServer.Http;

namespace GatewayServer.Tests.Http;

/// <summary>Feeds bytes to a fresh <see cref="HttpRequestParser"/> whole, a byte at a time, or in random pieces.</summary>
internal static class ParserHarness
{
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Parses a complete head in one call; asserts the parser consumed exactly the head.</summary>
    public static RequestHead Parse(string request, HttpLimits? limits = null)
    {
        byte[] bytes = Bytes(request);
        var parser = new HttpRequestParser(limits ?? new HttpLimits());
        var head = new RequestHead();
        if (!parser.TryParseHead(bytes, head, out int consumed))
        {
            throw new InvalidOperationException("the parser wanted more bytes");
        }

        consumed.Should().Be(HeadLength(bytes));
        return head;
    }

    /// <summary>The status a rejected request gets, or 0 when it is accepted (or incomplete).</summary>
    public static int StatusOf(string request, HttpLimits? limits = null)
    {
        try
        {
            var parser = new HttpRequestParser(limits ?? new HttpLimits());
            parser.TryParseHead(Bytes(request), new RequestHead(), out _);
            return 0;
        }
        catch (BadHttpRequestException error)
        {
            return error.StatusCode;
        }
    }

    /// <summary>
    /// Feeds a growing prefix of <paramref name="bytes"/>, the prefix growing by the given piece
    /// sizes, as a connection would; returns the head once parsed and the bytes it consumed.
    /// </summary>
    public static (RequestHead Head, int Consumed) ParseGrowing(byte[] bytes, IEnumerable<int> pieces, HttpLimits? limits = null)
    {
        var parser = new HttpRequestParser(limits ?? new HttpLimits());
        var head = new RequestHead();
        int available = 0;
        using IEnumerator<int> piece = pieces.GetEnumerator();
        while (available < bytes.Length)
        {
            available = Math.Min(bytes.Length, available + (piece.MoveNext() ? Math.Max(1, piece.Current) : bytes.Length));
            if (parser.TryParseHead(bytes.AsSpan(0, available), head, out int consumed))
            {
                return (head, consumed);
            }

            consumed.Should().Be(0);
        }

        throw new InvalidOperationException("the parser never completed the head");
    }

    public static IEnumerable<int> OneByteAtATime()
    {
        while (true)
        {
            yield return 1;
        }
    }

    public static IEnumerable<int> RandomPieces(int seed)
    {
        var random = new Random(seed);
        while (true)
        {
            yield return random.Next(1, 12);
        }
    }

    /// <summary>Where the head ends: after the first empty line that follows a non-empty one.</summary>
    public static int HeadLength(byte[] bytes)
    {
        int position = 0;
        bool seenLine = false;
        while (true)
        {
            int lf = Array.IndexOf(bytes, (byte)'\n', position);
            bool empty = lf == position + 1;
            position = lf + 1;
            if (empty && seenLine)
            {
                return position;
            }

            seenLine |= !empty;
        }
    }

    public static string Text(RequestHead head, ByteRange range) => Encoding.Latin1.GetString(head[range]);
}
