using System.Diagnostics;
using GatewayServer.Http;

namespace GatewayServer.Tests.Http;

/// <summary>
/// Mutated and random requests: whatever the bytes, the parser answers true, false or its own
/// <see cref="BadHttpRequestException"/>, returns promptly, and never claims bytes it was not given.
/// </summary>
public sealed class HttpRequestParserRandomizedTests
{
    private const int Iterations = 20_000;

    [Fact]
    public void Mutated_requests_only_ever_parse_ask_for_more_or_are_rejected_with_a_protocol_error()
    {
        var mutator = new RequestMutator(4242);
        byte[][] seeds = [.. RequestCorpus.Valid.Select(v => ParserHarness.Bytes(v.Request)), .. RequestCorpus.Invalid.Select(v => ParserHarness.Bytes(v.Request))];
        var limits = new HttpLimits { MaxRequestLine = 200, MaxHeaderFieldSize = 200, MaxHeaderCount = 20, MaxBodySize = 1000 };
        var total = Stopwatch.StartNew();
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = i % 5 == 0 ? mutator.HeaderSoup() : mutator.Mutate(seeds[mutator.Next(0, seeds.Length)]);
            Check(input, limits, mutator.Next(0, int.MaxValue));
        }

        total.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    /// <summary>Parses <paramref name="input"/> whole and in random pieces; both must agree.</summary>
    internal static void Check(byte[] input, HttpLimits limits, int seed)
    {
        var watch = Stopwatch.StartNew();
        (bool wholeParsed, int wholeConsumed, bool wholeRejected) = Run(input, limits, [input.Length]);
        var random = new Random(seed);
        (bool splitParsed, int splitConsumed, bool splitRejected) = Run(input, limits, Enumerable.Range(0, input.Length + 1).Select(_ => random.Next(1, 9)));
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "parsing a short input must not loop");

        splitRejected.Should().Be(wholeRejected, "splitting the input must not change whether it is refused: {0}", Show(input));
        if (!wholeRejected)
        {
            splitParsed.Should().Be(wholeParsed, Show(input));
            splitConsumed.Should().Be(wholeConsumed, Show(input));
        }
    }

    private static (bool Parsed, int Consumed, bool Rejected) Run(byte[] input, HttpLimits limits, IEnumerable<int> pieces)
    {
        var parser = new HttpRequestParser(limits);
        var head = new RequestHead();
        int available = 0;
        try
        {
            foreach (int piece in pieces)
            {
                available = Math.Min(input.Length, available + piece);
                if (parser.TryParseHead(input.AsSpan(0, available), head, out int consumed))
                {
                    consumed.Should().BeInRange(1, available, "the parser never reports bytes beyond its input");
                    head.Length.Should().BeLessThanOrEqualTo(consumed);
                    return (true, consumed, false);
                }

                consumed.Should().Be(0);
                if (available == input.Length)
                {
                    break;
                }
            }

            return (false, 0, false);
        }
        catch (BadHttpRequestException error)
        {
            error.StatusCode.Should().BeOneOf(400, 413, 414, 431, 417, 501, 505);
            return (false, 0, true);
        }
    }

    private static string Show(byte[] input) => System.Text.Encoding.Latin1.GetString(input).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
