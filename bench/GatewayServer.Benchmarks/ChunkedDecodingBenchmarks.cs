using System.Text;
using BenchmarkDotNet.Attributes;
using GatewayServer.Http;
using GatewayServer.Http.Body;

namespace GatewayServer.Benchmarks;

/// <summary>De-chunking a 64 KiB body sent as 16 chunks of 4 KiB with an extension and a trailer.</summary>
[MemoryDiagnoser]
public class ChunkedDecodingBenchmarks
{
    private readonly ChunkedBodyDecoder _decoder = new(new HttpLimits());
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var body = new MemoryStream();
        byte[] chunk = new byte[4096];
        Array.Fill(chunk, (byte)'x');
        for (int i = 0; i < 16; i++)
        {
            body.Write(Encoding.ASCII.GetBytes("1000;name=value\r\n"));
            body.Write(chunk);
            body.Write("\r\n"u8);
        }

        body.Write("0\r\nTrailer-Field: done\r\n\r\n"u8);
        _body = body.ToArray();
    }

    [Benchmark]
    public long Decode64KiBBody()
    {
        _decoder.Reset();
        ReadOnlySpan<byte> input = _body;
        long data = 0;
        while (!_decoder.IsComplete)
        {
            ByteRange range = _decoder.Decode(input, int.MaxValue, out int consumed);
            data += range.Length;
            input = input[consumed..];
        }

        return data;
    }
}
