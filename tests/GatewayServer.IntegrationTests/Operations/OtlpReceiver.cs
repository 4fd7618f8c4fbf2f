using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayServer.IntegrationTests.Operations;

/// <summary>
/// A minimal OTLP/HTTP receiver on 127.0.0.1 (the Prometheus in this image has none): a real
/// listening socket that reads each HTTP/1.1 POST (Content-Length or chunked body), keeps its
/// path, content type and body, and answers 200 with an empty protobuf message, as a collector
/// answers a full success.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Export> _exports = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private OtlpReceiver()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>One request received: its path, Content-Type and body.</summary>
    public sealed record Export(string Path, string ContentType, byte[] Body)
    {
        /// <summary>Whether the protobuf body holds <paramref name="text"/> (strings are UTF-8 on the wire).</summary>
        public bool Holds(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    /// <summary>The base URL to give as <c>--otlp-endpoint</c>.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static OtlpReceiver Start() => new();

    /// <summary>Waits for an export that satisfies <paramref name="match"/>, among those received so far and later ones.</summary>
    public async Task<Export?> WaitForAsync(Func<Export, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        int seen = 0;
        while (true)
        {
            lock (_exports)
            {
                for (; seen < _exports.Count; seen++)
                {
                    if (match(_exports[seen]))
                    {
                        return _exports[seen];
                    }
                }
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                while (await ReadRequestAsync(stream) is { } export)
                {
                    lock (_exports)
                    {
                        _exports.Add(export);
                    }

                    _arrived.Release();
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The exporter closed its connection or the test is over.
            }
        }
    }

    private static async Task<Export?> ReadRequestAsync(Stream stream)
    {
        string? requestLine = await ReadLineAsync(stream);
        if (string.IsNullOrEmpty(requestLine))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await ReadLineAsync(stream) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body;
        if (headers.TryGetValue("Content-Length", out string? length))
        {
            body = new byte[int.Parse(length, CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body);
        }
        else
        {
            var chunks = new MemoryStream();
            while (int.Parse((await ReadLineAsync(stream))!.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture) is int size and > 0)
            {
                byte[] chunk = new byte[size];
                await stream.ReadExactlyAsync(chunk);
                chunks.Write(chunk);
                await ReadLineAsync(stream);
            }

            await ReadLineAsync(stream);
            body = chunks.ToArray();
        }

        return new Export(requestLine.Split(' ')[1], headers.GetValueOrDefault("Content-Type", string.Empty), body);
    }

    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }

        return line.Length == 0 ? null : line.ToString();
    }
}
