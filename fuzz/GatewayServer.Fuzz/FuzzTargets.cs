using GatewayServer.Http;
using GatewayServer.Http.Body;

namespace GatewayServer.Fuzz;

/// <summary>
/// What the fuzzer drives. A target may end by returning or by the parser's own
/// <see cref="BadHttpRequestException"/>; anything else escaping (including the
/// <see cref="InvalidOperationException"/> thrown here when an invariant breaks) is a crash.
/// The first input byte picks how the rest is split, so re-entrant parsing is fuzzed too.
/// </summary>
public static class FuzzTargets
{
    private static readonly HttpLimits Limits = new()
    {
        MaxRequestLine = 256,
        MaxHeaderFieldSize = 256,
        MaxHeaderCount = 16,
        MaxBodySize = 4096,
        MaxChunkExtension = 64,
        MaxTrailerSize = 256,
    };

    public static void RequestParser(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        int step = (data[0] & 0x0F) + 1;
        ReadOnlySpan<byte> input = data[1..];
        var parser = new HttpRequestParser(Limits);
        var head = new RequestHead();
        try
        {
            int start = 0;
            int available = 0;
            while (available < input.Length)
            {
                available = Math.Min(input.Length, available + step);
                ReadOnlySpan<byte> window = input[start..available];
                if (parser.TryParseHead(window, head, out int consumed))
                {
                    Require(consumed > 0 && consumed <= window.Length, "consumed outside the input");
                    Require(head.Length <= consumed, "head longer than what was consumed");
                    start += consumed;
                }
                else
                {
                    Require(consumed == 0, "consumed bytes without a head");
                }
            }
        }
        catch (BadHttpRequestException)
        {
            // The parser's own verdict: fine.
        }
    }

    public static void ChunkedDecoder(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        int step = (data[0] & 0x0F) + 1;
        int maxData = (data[0] >> 4) + 1;
        ReadOnlySpan<byte> input = data[1..];
        var decoder = new ChunkedBodyDecoder(Limits);
        try
        {
            int offset = 0;
            int available = 0;
            while (!decoder.IsComplete && offset < input.Length)
            {
                if (offset == available)
                {
                    available = Math.Min(input.Length, available + step);
                }

                ReadOnlySpan<byte> window = input[offset..available];
                ByteRange range = decoder.Decode(window, maxData, out int consumed);
                Require(consumed > 0 && consumed <= window.Length, "no progress, or consumed outside the input");
                Require(range.Start >= 0 && range.Length <= maxData && range.Start + range.Length <= consumed, "data range outside what was consumed");
                offset += consumed;
            }
        }
        catch (BadHttpRequestException)
        {
            // The decoder's own verdict: fine.
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
