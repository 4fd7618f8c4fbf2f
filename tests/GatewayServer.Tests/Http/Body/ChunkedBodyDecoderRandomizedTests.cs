using System.Diagnostics;
using System.Text;
using GatewayServer.Http;
using GatewayServer.Http.Body;

namespace GatewayServer.Tests.Http.Body;

/// <summary>Mutated chunked bodies: the decoder always makes progress, stays inside its input, and only throws its own error.</summary>
public sealed class ChunkedBodyDecoderRandomizedTests
{
    private static readonly byte[][] Seeds =
    [
        .. new[]
        {
            "0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX: y\r\n\r\n",
            "1;q=\"a\\\"b\"\r\nx\r\n0\r\n\r\n", "A\r\n0123456789\r\n0\r\nContent-Length: 3\r\n\r\n",
        }.Select(Encoding.Latin1.GetBytes),
    ];

    [Fact]
    public void Mutated_chunked_bodies_decode_or_are_rejected_with_a_protocol_error_and_never_stall()
    {
        var mutator = new GatewayServer.Tests.Http.RequestMutator(777);
        var limits = new HttpLimits { MaxChunkExtension = 32, MaxTrailerSize = 64, MaxBodySize = 4096 };
        var total = Stopwatch.StartNew();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = mutator.Mutate(Seeds[mutator.Next(0, Seeds.Length)]);
            Check(input, limits, mutator.Next(1, 9), mutator.Next(1, 16));
        }

        total.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    /// <summary>Decodes <paramref name="input"/> in pieces of <paramref name="piece"/> bytes.</summary>
    internal static void Check(byte[] input, HttpLimits limits, int piece, int maxData)
    {
        var decoder = new ChunkedBodyDecoder(limits);
        int offset = 0;
        int available = 0;
        var watch = Stopwatch.StartNew();
        try
        {
            while (!decoder.IsComplete && offset < input.Length)
            {
                if (offset == available)
                {
                    available = Math.Min(input.Length, available + piece);
                }

                ReadOnlySpan<byte> window = input.AsSpan(offset, available - offset);
                ByteRange data = decoder.Decode(window, maxData, out int consumed);
                consumed.Should().BeInRange(1, window.Length, "the decoder progresses and stays inside its input");
                data.Start.Should().BeGreaterThanOrEqualTo(0);
                (data.Start + data.Length).Should().BeLessThanOrEqualTo(consumed);
                data.Length.Should().BeLessThanOrEqualTo(maxData);
                offset += consumed;
                watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
            }
        }
        catch (BadHttpRequestException error)
        {
            error.StatusCode.Should().BeOneOf(400, 413);
        }
    }
}
