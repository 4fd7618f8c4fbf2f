using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using GatewayServer.Engine;
using GatewayServer.Gateway;
using GatewayServer.Http;

namespace GatewayServer.Benchmarks;

/// <summary>
/// The gateway side of a request without a network: building the environ an app reads, and
/// writing a response head. The socket is never connected; nothing here sends.
/// </summary>
[MemoryDiagnoser]
public class ConnectionBenchmarks
{
    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Content-Type", "application/json"),
        new("Cache-Control", "no-store"),
        new("X-Request-Id", "0f8fad5b-d9cb-469f-a165-70867728950e"),
    ];

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private HttpConnection _connection = null!;
    private GatewayEnviron _environ = null!;
    private HttpResponse _response = null!;
    private GatewayResponseHead _head = null!;

    [GlobalSetup]
    public void Setup()
    {
        var log = new NullLog();
        var model = new GatewayAppModel(new NullApp(), log);
        var context = new EngineContext(model, new HttpLimits(), TimeProvider.System, log);
        _connection = new HttpConnection(_socket, context);
        var parser = new HttpRequestParser(context.Limits);
        byte[] request = Encoding.ASCII.GetBytes(
            "POST /api/orders?draft=1 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n" +
            "Content-Length: 2\r\nAccept: application/json\r\nUser-Agent: curl/8.0\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n");
        parser.TryParseHead(request, _connection.Head, out _);
        HttpExchange exchange = _connection.Exchange;
        var responder = (ApplicationResponder)model.CreateHandler(exchange);
        _environ = new GatewayEnviron(new EnvironBuilder(exchange, model.Errors, responder));
        _response = exchange.Response;
        _response.Reset(_connection.Head);
        _head = new GatewayResponseHead(_response);
    }

    [Benchmark]
    public object? BuildEnviron()
    {
        _environ.Reset();
        return _environ[EnvironKeys.PathInfo];
    }

    [Benchmark]
    public int WriteResponseHead()
    {
        _response.Reset(_connection.Head);
        _head.Reset(mayUpgrade: false);
        _head.StartResponse("200 OK", Headers);
        _head.Write(13, allowKeepAlive: true);
        int length = _connection.Output.BufferedLength;
        _connection.Output.Discard();
        return length;
    }

    private sealed class NullApp : IGatewayApplication
    {
        public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse) => [];
    }

    private sealed class NullLog : IServerLog
    {
        public void AppError(string method, string target, Exception error)
        {
        }

        public void AppResponseError(string detail)
        {
        }

        public void BadRequest(string remote, int status, string reason)
        {
        }

        public void ConnectionError(Exception error)
        {
        }

        public void ConnectionFailed(Exception error)
        {
        }

        public void AppMessage(string line)
        {
        }
    }
}
