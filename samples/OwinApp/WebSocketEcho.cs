namespace OwinApp;

using WebSocketAccept = Action<IDictionary<string, object>?, Func<IDictionary<string, object>, Task>>;
using WebSocketSendAsync = Func<ArraySegment<byte>, int, bool, CancellationToken, Task>;
using WebSocketReceiveAsync = Func<ArraySegment<byte>, CancellationToken, Task<Tuple<int, bool, int>>>;
using WebSocketCloseAsync = Func<int, string, CancellationToken, Task>;

/// <summary>
/// <c>GET /ws</c>: a WebSocket echo through the OWIN WebSocket extension (<c>websocket.Accept</c>),
/// as a Katana app would write it. Without the extension (not a WebSocket handshake) it answers 400.
/// </summary>
public static class WebSocketEcho
{
    private const int CloseOpcode = 0x8;

    public static Task Invoke(IDictionary<string, object> env)
    {
        if (!env.TryGetValue("websocket.Accept", out object? value) || value is not WebSocketAccept accept)
        {
            env["owin.ResponseStatusCode"] = 400;
            return Task.CompletedTask;
        }

        accept(null, EchoAsync);
        return Task.CompletedTask;
    }

    private static async Task EchoAsync(IDictionary<string, object> socket)
    {
        var send = (WebSocketSendAsync)socket["websocket.SendAsync"];
        var receive = (WebSocketReceiveAsync)socket["websocket.ReceiveAsync"];
        var close = (WebSocketCloseAsync)socket["websocket.CloseAsync"];
        var cancelled = (CancellationToken)socket["websocket.CallCancelled"];
        byte[] buffer = new byte[4096];
        while (true)
        {
            (int opcode, bool endOfMessage, int count) = await receive(new ArraySegment<byte>(buffer), cancelled);
            if (opcode == CloseOpcode)
            {
                await close((int)socket["websocket.ClientCloseStatus"], (string)socket["websocket.ClientCloseDescription"], cancelled);
                return;
            }

            await send(new ArraySegment<byte>(buffer, 0, count), opcode, endOfMessage, cancelled);
        }
    }
}
