using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GatewayServer.Logging;
using GatewayServer.Master;
using GatewayServer.Transport;

namespace GatewayServer.Operations;

/// <summary>
/// <c>--metrics-bind</c>: <c>/metrics</c>, <c>/livez</c> and <c>/readyz</c>, answered in the master
/// process so that no application can stall them. Deliberately tiny: a bounded head read with a
/// short deadline, GET or HEAD of three fixed paths, fixed responses, one request per connection,
/// a cap on concurrent connections. It reads the master's health flags directly and asks its loop
/// for a snapshot only for <c>/metrics</c>.
/// </summary>
public sealed class HealthEndpoint : IDisposable
{
    private const int MaxConnections = 16;
    private static readonly TimeSpan SnapshotDeadline = TimeSpan.FromSeconds(3);

    private readonly MasterProcess _master;
    private readonly OperationsListener _listener;

    private HealthEndpoint(Listener listener, MasterProcess master, ErrorLog log)
    {
        _master = master;
        _listener = new OperationsListener(listener, MaxConnections, "Metrics endpoint", log, ServeAsync);
    }

    /// <summary>Where it listens, as a URL (the real port when port 0 was asked for).</summary>
    public string Url => _listener.Listener.UrlWithScheme("http");

    /// <summary>Binds <paramref name="address"/> and starts answering; throws <see cref="IOException"/> or <see cref="SocketException"/> when it cannot bind.</summary>
    public static HealthEndpoint Start(BindAddress address, MasterProcess master, ErrorLog log) =>
        new(ListenerFactory.Open(address, backlog: 64), master, log);

    public void Dispose() => _listener.Dispose();

    private async Task ServeAsync(Socket client, CancellationToken cancellation)
    {
        byte[] head = new byte[HealthRequest.MaxHeadLength];
        int length = await ReadHeadAsync(client, head, cancellation).ConfigureAwait(false);
        HealthRequest? request = length < 0 ? null : HealthRequest.Parse(head.AsSpan(0, length));
        (int status, string contentType, string body) = length < 0
            ? (431, "text/plain", "request head too large\n")
            : await AnswerAsync(request, cancellation).ConfigureAwait(false);
        await client.SendAsync(Response(status, contentType, body, request is { IsHead: true }), SocketFlags.None, cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads until the blank line that ends a head; -1 when it does not fit.</summary>
    private static async Task<int> ReadHeadAsync(Socket client, byte[] head, CancellationToken cancellation)
    {
        int length = 0;
        while (true)
        {
            if (length == head.Length)
            {
                return -1;
            }

            int received = await client.ReceiveAsync(head.AsMemory(length), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                return length;
            }

            length += received;
            if (head.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                return length;
            }
        }
    }

    private async Task<(int Status, string ContentType, string Body)> AnswerAsync(HealthRequest? request, CancellationToken cancellation)
    {
        if (request is not { } known)
        {
            return (400, "text/plain", "bad request\n");
        }

        if (known.Path.Length == 0)
        {
            return (405, "text/plain", "only GET and HEAD\n");
        }

        switch (known.Path)
        {
            case "/livez":
                return _master.IsLive ? (200, "text/plain", "ok\n") : (503, "text/plain", "the master's loop is stalled\n");
            case "/readyz":
                return _master.IsReady ? (200, "text/plain", "ready\n") : (503, "text/plain", "not ready\n");
            case "/metrics":
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    wait.CancelAfter(SnapshotDeadline);
                    try
                    {
                        PoolSnapshot pool = await _master.SnapshotAsync(wait.Token).ConfigureAwait(false);
                        return (200, PrometheusExposition.ContentType, PrometheusExposition.Render(pool));
                    }
                    catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                    {
                        return (503, "text/plain", "the master's loop did not answer in time\n");
                    }
                }

            default:
                return (404, "text/plain", "not found: try /metrics, /livez or /readyz\n");
        }
    }

    private static byte[] Response(int status, string contentType, string body, bool isHead)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            431 => "Request Header Fields Too Large",
            _ => "Service Unavailable",
        };
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nCache-Control: no-store\r\n{(status == 405 ? "Allow: GET, HEAD\r\n" : string.Empty)}Connection: close\r\n\r\n");
        byte[] headBytes = Encoding.ASCII.GetBytes(head);
        return isHead ? headBytes : [.. headBytes, .. content];
    }
}
