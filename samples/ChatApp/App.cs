using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using GatewayServer;

namespace ChatApp;

/// <summary>
/// WebSockets on the gateway contract (<see cref="WebSocketAcceptor"/>):
/// <list type="bullet">
/// <item><c>GET /</c>: a one-page HTML client (an ordinary response, even to a request that asks to upgrade).</item>
/// <item><c>GET /echo</c> (WebSocket): every frame comes back as it was sent: text or binary, fragmented or not.
/// The text message <c>close</c> makes the server start the close handshake.</item>
/// <item><c>GET /room/NAME</c> (WebSocket): a chat room; each text message goes to every member of the room
/// <em>in this worker process</em> (rooms across workers need a backplane: docs/writing-an-app.md).
/// The first message a member receives is <c>joined NAME (worker PID)</c>.</item>
/// </list>
/// </summary>
public sealed class App : IAsyncGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] HtmlHeaders = [new("Content-Type", "text/html; charset=utf-8")];
    private static readonly byte[] Page = LoadPage();
    private static readonly RoomDirectory Rooms = new();

    public IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string path = (string)environ[EnvironKeys.PathInfo]!;
        var aborted = (CancellationToken)environ[EnvironKeys.RequestAborted]!;
        if (path == "/")
        {
            startResponse("200 OK", HtmlHeaders);
            return Body(Page);
        }

        if (path == "/echo" || path.StartsWith("/room/", StringComparison.Ordinal))
        {
            WebSocket? socket = WebSocketAcceptor.Accept(environ, startResponse);
            if (socket is null)
            {
                // Accept answered 400 or 426 already.
                return Body([]);
            }

            if (path == "/echo")
            {
                // Handed to a task of its own: the request ends now and lets go of what it held
                // (the environ, the head); the connection lives until the task disposes the socket.
                _ = EchoAsync(socket, aborted);
                return Body([]);
            }

            // Awaited inside the (empty) body instead: the request lasts as long as the conversation.
            return Converse(JoinAsync(socket, path["/room/".Length..], aborted));
        }

        startResponse("404 Not Found", [new("Content-Type", "text/plain")]);
        return Body("not found\n"u8.ToArray());
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Body(byte[] bytes)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return bytes;
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Converse(Task conversation)
    {
        await conversation.ConfigureAwait(false);
        yield break;
    }

    private static async Task EchoAsync(WebSocket socket, CancellationToken aborted)
    {
        using (socket)
        {
            try
            {
                while (true)
                {
                    // A zero-byte receive waits for the next frame holding no buffer: idle sockets cost little.
                    ValueWebSocketReceiveResult next = await socket.ReceiveAsync(Memory<byte>.Empty, aborted).ConfigureAwait(false);
                    if (next.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, aborted).ConfigureAwait(false);
                        return;
                    }

                    if (!await EchoFrameAsync(socket, next, aborted).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client went away, or the worker is giving the connection up.
            }
        }
    }

    /// <summary>Sends back what arrived of the current frame; false once the server closed the conversation.</summary>
    private static async Task<bool> EchoFrameAsync(WebSocket socket, ValueWebSocketReceiveResult peeked, CancellationToken aborted)
    {
        if (peeked.EndOfMessage)
        {
            // An empty message (or the empty end of one).
            await socket.SendAsync(ReadOnlyMemory<byte>.Empty, peeked.MessageType, true, aborted).ConfigureAwait(false);
            return true;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            ValueWebSocketReceiveResult received = await socket.ReceiveAsync(buffer.AsMemory(), aborted).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Text && received.EndOfMessage && buffer.AsSpan(0, received.Count).SequenceEqual("close"u8))
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", aborted).ConfigureAwait(false);
                return false;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, aborted).ConfigureAwait(false);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task JoinAsync(WebSocket socket, string name, CancellationToken aborted)
    {
        using (socket)
        {
            using Room.Member member = Rooms.Join(name, socket);
            try
            {
                await member.SendAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"joined {name} (worker {Environment.ProcessId})")), aborted).ConfigureAwait(false);
                byte[] buffer = new byte[4096];
                while (true)
                {
                    byte[]? message = await ReceiveTextAsync(socket, buffer, aborted).ConfigureAwait(false);
                    if (message is null)
                    {
                        await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, aborted).ConfigureAwait(false);
                        return;
                    }

                    await member.Room.BroadcastAsync(message, aborted).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
            {
                // The member left without saying goodbye.
            }
        }
    }

    /// <summary>One whole text message (at most 64 KiB), or null when the client closes.</summary>
    private static async Task<byte[]?> ReceiveTextAsync(WebSocket socket, byte[] buffer, CancellationToken aborted)
    {
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult received = await socket.ReceiveAsync(buffer.AsMemory(), aborted).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (message.Length > 64 * 1024)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "64 KiB at most", aborted).ConfigureAwait(false);
                return null;
            }

            if (received.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }

    private static byte[] LoadPage()
    {
        using Stream page = typeof(App).Assembly.GetManifestResourceStream("index.html")!;
        using var copy = new MemoryStream();
        page.CopyTo(copy);
        return copy.ToArray();
    }
}
