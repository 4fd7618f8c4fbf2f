using System.Text;
using BenchmarkDotNet.Attributes;
using GatewayServer.Http;

namespace GatewayServer.Benchmarks;

/// <summary>Request line and headers of a typical browser request: the target is &lt; 200 ns and 0 bytes.</summary>
[MemoryDiagnoser]
public class RequestParsingBenchmarks
{
    private static readonly byte[] BrowserRequest = Encoding.ASCII.GetBytes(
        "GET /products/42?ref=home&utm_source=newsletter HTTP/1.1\r\n" +
        "Host: shop.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n" +
        "Accept-Language: en-GB,en;q=0.9\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Referer: https://shop.example.com/\r\n" +
        "Cookie: session=8f2a7c1e9b; theme=dark; consent=yes\r\n" +
        "Connection: keep-alive\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "\r\n");

    private readonly HttpRequestParser _parser = new(new HttpLimits());
    private readonly RequestHead _head = new();

    [Benchmark]
    public int ParseBrowserRequest()
    {
        _parser.TryParseHead(BrowserRequest, _head, out int consumed);
        return consumed;
    }
}
