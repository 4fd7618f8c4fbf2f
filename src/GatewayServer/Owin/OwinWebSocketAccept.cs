using System.Net.WebSockets;

namespace GatewayServer.Owin;

/// <summary>
/// The OWIN WebSocket extension (<c>websocket.Accept</c>, OWIN WebSocket Extension 0.4): offered on
/// a WebSocket handshake that may upgrade; the app calls it with its options and a callback and
/// completes its task; then the handshake is made with <see cref="WebSocketAcceptor"/> and the
/// callback runs with the <c>websocket.*</c> delegates over .NET's <see cref="WebSocket"/>.
/// </summary>
internal sealed class OwinWebSocketAccept
{
    private const int TextOpcode = 0x1;
    private const int BinaryOpcode = 0x2;
    private const int CloseOpcode = 0x8;

    private IDictionary<string, object>? _options;
    private Func<IDictionary<string, object>, Task>? _callback;

    /// <summary>Whether the app called <c>websocket.Accept</c>.</summary>
    public bool Accepted => _callback is not null;

    /// <summary>Adds <c>websocket.Accept</c> to <paramref name="owin"/> when the request is a WebSocket handshake that may upgrade; null otherwise.</summary>
    public static OwinWebSocketAccept? Offer(IDictionary<string, object?> environ, Dictionary<string, object> owin)
    {
        if (!WebSocketAcceptor.IsWebSocketRequest(environ))
        {
            return null;
        }

        var accept = new OwinWebSocketAccept();
        owin["websocket.Accept"] = new Action<IDictionary<string, object>?, Func<IDictionary<string, object>, Task>>(accept.Accept);
        return accept;
    }

    /// <summary>After the app's task completed: answers the handshake (101, or the 400/426 of a bad one) and runs the callback on the WebSocket.</summary>
    public async Task RunAsync(IDictionary<string, object?> environ, Dictionary<string, object> owin, StartResponse startResponse, CancellationToken cancelled)
    {
        string? subProtocol = _options is not null && _options.TryGetValue("websocket.SubProtocol", out object? chosen) ? chosen as string : null;
        using WebSocket? socket = WebSocketAcceptor.Accept(environ, startResponse, subProtocol);
        if (socket is null)
        {
            return;
        }

        var environment = new Dictionary<string, object>(owin, StringComparer.Ordinal)
        {
            ["websocket.Version"] = "1.0",
            ["websocket.CallCancelled"] = cancelled,
        };
        environment["websocket.SendAsync"] = new Func<ArraySegment<byte>, int, bool, CancellationToken, Task>((data, opcode, end, cancellation) =>
            socket.SendAsync(data, opcode == TextOpcode ? WebSocketMessageType.Text : WebSocketMessageType.Binary, end, cancellation));
        environment["websocket.ReceiveAsync"] = new Func<ArraySegment<byte>, CancellationToken, Task<Tuple<int, bool, int>>>(async (buffer, cancellation) =>
        {
            WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, cancellation).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                environment["websocket.ClientCloseStatus"] = (int)(received.CloseStatus ?? WebSocketCloseStatus.Empty);
                environment["websocket.ClientCloseDescription"] = received.CloseStatusDescription ?? string.Empty;
            }

            int opcode = received.MessageType switch
            {
                WebSocketMessageType.Text => TextOpcode,
                WebSocketMessageType.Binary => BinaryOpcode,
                _ => CloseOpcode,
            };
            return Tuple.Create(opcode, received.EndOfMessage, received.Count);
        });
        environment["websocket.CloseAsync"] = new Func<int, string, CancellationToken, Task>((status, description, cancellation) =>
            socket.CloseOutputAsync((WebSocketCloseStatus)status, description, cancellation));

        await _callback!(environment).ConfigureAwait(false);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // The callback returned without closing: the conversation is over, say so.
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancelled).ConfigureAwait(false);
        }
    }

    private void Accept(IDictionary<string, object>? options, Func<IDictionary<string, object>, Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _options = options;
        _callback = callback;
    }
}
