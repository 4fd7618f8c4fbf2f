using System.Text;
using GatewayServer.Http;
using GatewayServer.Http.Body;

namespace GatewayServer.Tests.Http.Body;

public sealed class ChunkedBodyDecoderTests
{
    public static readonly TheoryData<string, string> ValidBodies = new()
    {
        { "0\r\n\r\n", "" },
        { "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world" },
        { "A\r\n0123456789\r\n0\r\n\r\n", "0123456789" },
        { "a\r\n0123456789\r\n0\r\n\r\n", "0123456789" },
        { "0005\r\nhello\r\n000\r\n\r\n", "hello" },
        { "5;name\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;name=value\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;a=1;b=\"x y\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5; a = 1\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;q=\"quoted \\\" pair\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;q=\";\\r\\n\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n", "hello" },
        { "5\r\nhello\r\n0\r\nContent-Length: 99\r\nTransfer-Encoding: gzip\r\n\r\n", "hello" },
        { "5\r\nhello\r\n0;last\r\nX:\r\n\r\n", "hello" },
        { "3\r\n\r\n\r\r\n0\r\n\r\n", "\r\n\r" },
    };

    public static readonly TheoryData<string, int> InvalidBodies = new()
    {
        { "\r\n", 400 },
        { "x\r\nhello\r\n0\r\n\r\n", 400 },
        { "-5\r\nhello\r\n0\r\n\r\n", 400 },
        { "+5\r\nhello\r\n0\r\n\r\n", 400 },
        { "0x5\r\nhello\r\n0\r\n\r\n", 400 },
        { " 5\r\nhello\r\n0\r\n\r\n", 400 },
        { "5 \r\nhello\r\n0\r\n\r\n", 400 },
        { "5 ;a\r\nhello\r\n0\r\n\r\n", 400 },
        { "5\nhello\r\n0\r\n\r\n", 400 },
        { "5\rhello\r\n0\r\n\r\n", 400 },
        { "5\r\nhelloX\r\n0\r\n\r\n", 400 },
        { "5\r\nhello\n0\r\n\r\n", 400 },
        { "5\r\nhello\r0\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\n\n", 400 },
        { "5\r\nhello\r\n0\n\r\n", 400 },
        { "8000000000000000\r\n", 400 },
        { "FFFFFFFFFFFFFFFFF\r\n", 400 },
        { "00000000000000000\r\n", 400 },
        { "5;a\0b\r\nhello\r\n0\r\n\r\n", 400 },
        { "5;a(b\r\nhello\r\n0\r\n\r\n", 400 },
        { "5;a=\"unterminated\r\nhello\r\n0\r\n\r\n", 400 },
        { "5;a\nb\r\nhello\r\n0\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\nNoColon\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\n folded: x\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\nX : 1\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\nX: a\0\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\nX: a\nb\r\n\r\n", 400 },
        { "5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Valid_chunked_body_decodes_whole_one_byte_at_a_time_and_in_random_pieces(string framed, string body)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(framed);
        Decode(bytes, [bytes.Length], 4096).Should().Be(body);
        Decode(bytes, Enumerable.Repeat(1, bytes.Length), 4096).Should().Be(body);
        Decode(bytes, Enumerable.Repeat(1000, 1), 1).Should().Be(body);
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            Decode(bytes, Enumerable.Range(0, bytes.Length).Select(_ => random.Next(1, 8)), random.Next(1, 6)).Should().Be(body);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public void Malformed_chunked_body_is_rejected_whole_and_one_byte_at_a_time(string framed, int status)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(framed);
        StatusOf(bytes, [bytes.Length]).Should().Be(status);
        StatusOf(bytes, Enumerable.Repeat(1, bytes.Length)).Should().Be(status);
    }

    [Fact]
    public void Chunked_body_with_overflowing_size_is_rejected_with_400()
    {
        Reason("FFFFFFFFFFFFFFFFF\r\n").Should().Be(RequestRejectionReason.InvalidChunkSize);
    }

    [Fact]
    public void Largest_chunk_size_that_fits_a_long_is_accepted()
    {
        var decoder = new ChunkedBodyDecoder(new HttpLimits());
        decoder.Decode("7FFFFFFFFFFFFFFF\r\nab"u8, 4096, out int consumed).Length.Should().Be(2);
        consumed.Should().Be(20);
        decoder.BodyLength.Should().Be(long.MaxValue);
    }

    [Fact]
    public void Chunked_body_over_the_body_limit_is_rejected_with_413_before_its_data_is_read()
    {
        var limits = new HttpLimits { MaxBodySize = 8 };
        StatusOf("5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n"u8.ToArray(), [100], limits).Should().Be(0);
        StatusOf("5\r\nhello\r\n4\r\n"u8.ToArray(), [100], limits).Should().Be(413);
    }

    [Fact]
    public void Chunk_extension_longer_than_the_limit_is_rejected()
    {
        var limits = new HttpLimits { MaxChunkExtension = 10 };
        StatusOf(Encoding.Latin1.GetBytes("1;" + new string('a', 8) + "\r\nx\r\n0\r\n\r\n"), [100], limits).Should().Be(0);
        Reason("1;" + new string('a', 20) + "\r\n", limits).Should().Be(RequestRejectionReason.ChunkExtensionTooLong);
    }

    [Fact]
    public void Trailer_section_larger_than_the_limit_is_rejected()
    {
        var limits = new HttpLimits { MaxTrailerSize = 16 };
        Reason("0\r\nA: 1\r\nB: 2\r\n\r\n", limits).Should().BeNull();
        Reason("0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits).Should().Be(RequestRejectionReason.TrailersTooLarge);
    }

    [Fact]
    public void Decoder_stops_at_the_end_of_the_body_and_leaves_the_next_request_alone()
    {
        byte[] bytes = "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n"u8.ToArray();
        var decoder = new ChunkedBodyDecoder(new HttpLimits());
        int offset = 0;
        while (!decoder.IsComplete)
        {
            decoder.Decode(bytes.AsSpan(offset), 4096, out int consumed);
            offset += consumed;
        }

        offset.Should().Be(bytes.Length - "GET / HTTP/1.1\r\n".Length);
        decoder.Decode(bytes.AsSpan(offset), 4096, out int after).Should().Be(ByteRange.Empty);
        after.Should().Be(0);
    }

    [Fact]
    public void Reset_decoder_reads_a_second_body()
    {
        var decoder = new ChunkedBodyDecoder(new HttpLimits());
        Decode(decoder, "1\r\na\r\n0\r\n\r\n"u8.ToArray(), [100], 10).Should().Be("a");
        decoder.Reset();
        Decode(decoder, "2\r\nbc\r\n0\r\n\r\n"u8.ToArray(), [100], 10).Should().Be("bc");
        decoder.BodyLength.Should().Be(2);
    }

    internal static string Decode(byte[] bytes, IEnumerable<int> pieces, int maxData, HttpLimits? limits = null) =>
        Decode(new ChunkedBodyDecoder(limits ?? new HttpLimits()), bytes, pieces, maxData);

    /// <summary>Feeds growing windows of <paramref name="bytes"/> the way the body reader does.</summary>
    private static string Decode(ChunkedBodyDecoder decoder, byte[] bytes, IEnumerable<int> pieces, int maxData)
    {
        var body = new StringBuilder();
        int offset = 0;
        int available = 0;
        using IEnumerator<int> piece = pieces.GetEnumerator();
        while (!decoder.IsComplete)
        {
            if (offset == available)
            {
                available.Should().BeLessThan(bytes.Length, "the body ended early");
                available = Math.Min(bytes.Length, available + (piece.MoveNext() ? piece.Current : bytes.Length));
            }

            ReadOnlySpan<byte> input = bytes.AsSpan(offset, available - offset);
            ByteRange data = decoder.Decode(input, maxData, out int consumed);
            consumed.Should().BeInRange(0, input.Length);
            (data.Start + data.Length).Should().BeLessThanOrEqualTo(consumed);
            data.Length.Should().BeLessThanOrEqualTo(maxData);
            body.Append(Encoding.Latin1.GetString(input.Slice(data.Start, data.Length)));
            offset += consumed;
        }

        offset.Should().Be(bytes.Length);
        return body.ToString();
    }

    private static int StatusOf(byte[] bytes, IEnumerable<int> pieces, HttpLimits? limits = null)
    {
        try
        {
            Decode(bytes, pieces, 4096, limits);
            return 0;
        }
        catch (BadHttpRequestException error)
        {
            return error.StatusCode;
        }
    }

    private static RequestRejectionReason? Reason(string framed, HttpLimits? limits = null)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(framed);
        var decoder = new ChunkedBodyDecoder(limits ?? new HttpLimits());
        try
        {
            int offset = 0;
            while (offset < bytes.Length && !decoder.IsComplete)
            {
                decoder.Decode(bytes.AsSpan(offset), 4096, out int consumed);
                offset += consumed;
            }

            return null;
        }
        catch (BadHttpRequestException error)
        {
            return error.Reason;
        }
    }
}
