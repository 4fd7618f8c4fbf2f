using System.Buffers;
using System.Net.WebSockets;

/// <summary>
/// The WebSocket echo of bench/websocket, the same loop as samples/ChatApp's <c>/echo</c>: a
/// zero-byte receive waits for each frame, then a pooled buffer takes it and it is sent back as it
/// came, so the two servers differ by server and not by app.
/// </summary>
internal static class WebSocketEcho
{
    public static async Task RunAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult next = await socket.ReceiveAsync(Memory<byte>.Empty, context.RequestAborted);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, context.RequestAborted);
                    return;
                }

                if (next.EndOfMessage)
                {
                    await socket.SendAsync(ReadOnlyMemory<byte>.Empty, next.MessageType, true, context.RequestAborted);
                    continue;
                }

                byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                try
                {
                    ValueWebSocketReceiveResult received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                    await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
    }
}
