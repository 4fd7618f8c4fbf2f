using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayServer.IntegrationTests.Master;

/// <summary>
/// A load generator for reload tests: loops that send GETs over keep-alive connections, and
/// loops that open a new connection per request. Every response must be a complete 200.
/// The one retry allowed is the one browsers make (RFC 9110 §9.2.2, RFC 9112 §9.3.1): when a
/// reused keep-alive connection closes before any byte of the response arrived, the server may
/// have closed it as idle while the request was on its way; an idempotent request is then
/// resent once on a new connection. A fresh connection that closes early is a failure.
/// Without <see cref="RetriesClosedIdle"/> (wrk's semantics) even that is a failure: a server
/// that retires connections only after a <c>Connection: close</c> response loses nothing.
/// </summary>
public sealed class LoadClient
{
    private readonly int _port;
    private readonly string _path;
    private long _succeeded;
    private long _retried;

    public LoadClient(int port, string path = "/")
    {
        _port = port;
        _path = path;
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Whether a request on a reused connection that closed before any response byte is resent once (the default).</summary>
    public bool RetriesClosedIdle { get; init; } = true;

    public ConcurrentQueue<string> Failures { get; } = new();

    public ConcurrentDictionary<string, int> Bodies { get; } = new();

    public Task RunAsync(int keepAliveLoops, int freshConnectionLoops, CancellationToken stop)
    {
        var loops = new List<Task>();
        for (int i = 0; i < keepAliveLoops; i++)
        {
            loops.Add(Task.Run(() => LoopAsync(reuse: true, stop)));
        }

        for (int i = 0; i < freshConnectionLoops; i++)
        {
            loops.Add(Task.Run(() => LoopAsync(reuse: false, stop)));
        }

        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(bool reuse, CancellationToken stop)
    {
        Connection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                connection ??= await Connection.OpenAsync(_port);
                Outcome outcome = await connection.GetAsync(_path);
                if (RetriesClosedIdle && outcome.Kind == OutcomeKind.ClosedBeforeResponse && connection.Used)
                {
                    Interlocked.Increment(ref _retried);
                    connection.Dispose();
                    connection = await Connection.OpenAsync(_port);
                    outcome = await connection.GetAsync(_path);
                }

                if (outcome.Kind == OutcomeKind.Ok)
                {
                    Interlocked.Increment(ref _succeeded);
                    Bodies.AddOrUpdate(outcome.Body, 1, (_, n) => n + 1);
                }
                else
                {
                    Failures.Enqueue($"{outcome.Kind}: {outcome.Body}");
                }

                if (outcome.Kind != OutcomeKind.Ok || outcome.Closes || !reuse)
                {
                    connection.Dispose();
                    connection = null;
                }
                else
                {
                    connection.Used = true;
                }
            }
        }
        catch (Exception error)
        {
            Failures.Enqueue($"client loop failed: {error.Message}");
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public enum OutcomeKind
    {
        Ok,
        ClosedBeforeResponse,
        Broken,
    }

    public sealed record Outcome(OutcomeKind Kind, string Body, bool Closes);

    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[16 * 1024];

        private Connection(Socket socket)
        {
            _socket = socket;
        }

        public bool Used { get; set; }

        public static async Task<Connection> OpenAsync(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return new Connection(socket);
        }

        public async Task<Outcome> GetAsync(string path)
        {
            int length = 0;
            try
            {
                await _socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"), SocketFlags.None);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (true)
                {
                    int received = await _socket.ReceiveAsync(_buffer.AsMemory(length), SocketFlags.None, timeout.Token);
                    if (received == 0)
                    {
                        return new Outcome(length == 0 ? OutcomeKind.ClosedBeforeResponse : OutcomeKind.Broken, $"closed after {length} bytes", true);
                    }

                    length += received;
                    string text = Encoding.ASCII.GetString(_buffer, 0, length);
                    int headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headEnd < 0)
                    {
                        continue;
                    }

                    string head = text[..headEnd];
                    int contentLength = int.Parse(HeaderValue(head, "Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                    if (length < headEnd + 4 + contentLength)
                    {
                        continue;
                    }

                    string body = text.Substring(headEnd + 4, contentLength);
                    bool closes = string.Equals(HeaderValue(head, "Connection"), "close", StringComparison.OrdinalIgnoreCase);
                    return head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal)
                        ? new Outcome(OutcomeKind.Ok, body, closes)
                        : new Outcome(OutcomeKind.Broken, head.Split("\r\n")[0], true);
                }
            }
            catch (SocketException error)
            {
                return new Outcome(length == 0 ? OutcomeKind.ClosedBeforeResponse : OutcomeKind.Broken, $"{error.SocketErrorCode} after {length} bytes", true);
            }
            catch (OperationCanceledException)
            {
                return new Outcome(OutcomeKind.Broken, $"no complete response in 30 s ({length} bytes)", true);
            }
        }

        private static string? HeaderValue(string head, string name)
        {
            foreach (string line in head.Split("\r\n"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return line[(colon + 1)..].Trim();
                }
            }

            return null;
        }

        public void Dispose() => _socket.Dispose();
    }
}
