// A WebSocket load client for the benchmarks, on loopback only:
//   WebSocketLoad echo URL CONNECTIONS SECONDS SIZE [WARMUP]  each connection sends SIZE-byte binary
//       messages and waits for each echo (ping-pong); prints "messages/s N" over SECONDS after WARMUP.
//   WebSocketLoad idle URL COUNT     opens COUNT WebSockets, exchanges one message on each, prints
//       "ready HELD FAILED", holds them until stdin closes, then closes them.
using System.Diagnostics;
using System.Net.WebSockets;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: WebSocketLoad echo URL CONNECTIONS SECONDS SIZE [WARMUP] | idle URL COUNT");
    return 2;
}

var uri = new Uri(args[1]);
if (!uri.IsLoopback)
{
    Console.Error.WriteLine("loopback only");
    return 2;
}

int count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
return args[0] switch
{
    "echo" => await EchoAsync(uri, count, int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 2),
    "idle" => await IdleAsync(uri, count),
    _ => 2,
};

static async Task<ClientWebSocket> ConnectAsync(Uri uri)
{
    var socket = new ClientWebSocket();
    socket.Options.KeepAliveInterval = TimeSpan.Zero;
    await socket.ConnectAsync(uri, CancellationToken.None);
    return socket;
}

static async Task<int> EchoAsync(Uri uri, int connections, int seconds, int size, int warmup)
{
    ClientWebSocket[] sockets = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => ConnectAsync(uri)));
    long counted = 0;
    bool counting = false;
    using var stop = new CancellationTokenSource();
    async Task RunAsync(ClientWebSocket socket)
    {
        byte[] message = new byte[size];
        byte[] buffer = new byte[Math.Max(size, 1024)];
        Random.Shared.NextBytes(message);
        while (!stop.IsCancellationRequested)
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
            int received = 0;
            while (true)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
                received += result.Count;
                if (result.EndOfMessage)
                {
                    break;
                }
            }

            if (received != size)
            {
                throw new InvalidDataException($"echo of {received} bytes for {size}");
            }

            if (Volatile.Read(ref counting))
            {
                Interlocked.Increment(ref counted);
            }
        }
    }

    Task all = Task.WhenAll(sockets.Select(s => Task.Run(() => RunAsync(s))));
    await Task.Delay(TimeSpan.FromSeconds(warmup));
    Volatile.Write(ref counting, true);
    var clock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref counting, false);
    double elapsed = clock.Elapsed.TotalSeconds;
    long messages = Interlocked.Read(ref counted);
    await stop.CancelAsync();
    await all;
    await Task.WhenAll(sockets.Select(s => s.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)));
    Console.WriteLine($"messages/s {messages / elapsed:F0}");
    return 0;
}

static async Task<int> IdleAsync(Uri uri, int count)
{
    var held = new List<ClientWebSocket>(count);
    int failed = 0;
    string? firstError = null;
    byte[] hello = "hello"u8.ToArray();
    byte[] buffer = new byte[64];
    for (int start = 0; start < count; start += 500)
    {
        ClientWebSocket?[] batch = await Task.WhenAll(Enumerable.Range(start, Math.Min(500, count - start)).Select(async _ =>
        {
            try
            {
                ClientWebSocket socket = await ConnectAsync(uri);
                await socket.SendAsync(hello, WebSocketMessageType.Text, true, CancellationToken.None);
                await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                return socket;
            }
            catch (Exception error) when (error is WebSocketException or IOException or System.Net.Sockets.SocketException)
            {
                Interlocked.Increment(ref failed);
                firstError ??= error.Message;
                return null;
            }
        }));
        held.AddRange(batch.OfType<ClientWebSocket>());
    }

    Console.WriteLine($"ready {held.Count} {failed}");
    if (firstError is not null)
    {
        Console.Error.WriteLine($"first error: {firstError}");
    }

    await Console.In.ReadToEndAsync();
    foreach (ClientWebSocket socket in held)
    {
        socket.Abort();
        socket.Dispose();
    }

    return 0;
}
