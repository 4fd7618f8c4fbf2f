using System.Net.WebSockets;
using GatewayServer.Engine;
using GatewayServer.Http.Response;

namespace GatewayServer.Owin;

/// <summary>
/// The OWIN WebSocket extension (<c>websocket.Accept</c>, OWIN WebSocket Extension 0.4): offered on
/// a WebSocket handshake that may upgrade; the app calls it with its options and a callback and
/// completes its task; then the handshake is answered (101 through <see cref="HttpExchange.Upgrade"/>,
/// or the 400/426 of a bad one) and the callback runs with the <c>websocket.*</c> delegates over
/// .NET's <see cref="WebSocket"/>. One instance per connection, reset for each request.
/// </summary>
internal sealed class OwinWebSocketAccept
{
    private const int TextOpcode = 0x1;
    private const int BinaryOpcode = 0x2;
    private const int CloseOpcode = 0x8;

    private readonly HttpExchange _exchange;
    private IDictionary<string, object>? _options;
    private Func<IDictionary<string, object>, Task>? _callback;

    public OwinWebSocketAccept(HttpExchange exchange)
    {
        _exchange = exchange;
        Accept = OnAccept;
    }

    /// <summary>The <c>websocket.Accept</c> delegate; bound once per connection.</summary>
    public Action<IDictionary<string, object>?, Func<IDictionary<string, object>, Task>> Accept { get; }

    /// <summary>Whether the app called <c>websocket.Accept</c>.</summary>
    public bool Accepted => _callback is not null;

    /// <summary>Whether the request's <c>Upgrade</c> header names <c>websocket</c>.</summary>
    public static bool IsRequested(IReadOnlyDictionary<string, string[]> requestHeaders) =>
        requestHeaders.TryGetValue("Upgrade", out string[]? upgrade) && WebSocketAcceptor.ListContains(upgrade[0], "websocket");

    public void Reset()
    {
        _options = null;
        _callback = null;
    }

    /// <summary>
    /// After the app's task completed: answers the handshake and runs the callback on the WebSocket;
    /// true when the connection switched. False when the handshake was refused: the refusal (400,
    /// or 426 naming the version spoken) is left in the response keys for the handler to send.
    /// </summary>
    public async ValueTask<bool> RunAsync(Dictionary<string, object> owin)
    {
        var requestHeaders = (Dictionary<string, string[]>)owin[OwinKeys.RequestHeaders];
        var responseHeaders = (IDictionary<string, string[]>)owin[OwinKeys.ResponseHeaders];
        string? version = Header(requestHeaders, "Sec-WebSocket-Version")?.Trim();
        string? key = Header(requestHeaders, "Sec-WebSocket-Key")?.Trim();
        if (version is not null && version != WebSocketAcceptor.SupportedVersion)
        {
            // RFC 6455 section 4.4: say which version we speak, so the client can retry with it.
            owin[OwinKeys.ResponseStatusCode] = 426;
            responseHeaders["Sec-WebSocket-Version"] = [WebSocketAcceptor.SupportedVersion];
            return false;
        }

        if (version is null || !WebSocketAcceptor.IsValidKey(key) || !"GET".Equals(owin[OwinKeys.RequestMethod]))
        {
            owin[OwinKeys.ResponseStatusCode] = 400;
            return false;
        }

        string? subProtocol = _options is not null && _options.TryGetValue("websocket.SubProtocol", out object? chosen) ? chosen as string : null;
        if (subProtocol is not null && !WebSocketAcceptor.ListContains(Header(requestHeaders, "Sec-WebSocket-Protocol") ?? string.Empty, subProtocol))
        {
            throw new ArgumentException($"the client did not offer the subprotocol \"{subProtocol}\"");
        }

        var head = new HandshakeLines(WebSocketAcceptor.AcceptValue(key!), subProtocol);
        Stream connection = _exchange.Upgrade(response => response.WriteHead(101, head, -1, allowKeepAlive: false), closesWithRequest: true);
        using WebSocket socket = WebSocket.CreateFromStream(connection, new WebSocketCreationOptions { IsServer = true, SubProtocol = subProtocol });
        CancellationToken cancelled = _exchange.RequestAborted;
        Func<IDictionary<string, object>, Task> callback = _callback!;
        await callback(Environment(owin, socket, cancelled)).ConfigureAwait(false);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // The callback returned without closing: the conversation is over, say so.
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancelled).ConfigureAwait(false);
        }

        return true;
    }

    private static Dictionary<string, object> Environment(Dictionary<string, object> owin, WebSocket socket, CancellationToken cancelled)
    {
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
        return environment;
    }

    private void OnAccept(IDictionary<string, object>? options, Func<IDictionary<string, object>, Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _options = options;
        _callback = callback;
    }

    private static string? Header(Dictionary<string, string[]> headers, string name) =>
        headers.TryGetValue(name, out string[]? values) ? values[0] : null;

    private sealed class HandshakeLines(string acceptValue, string? subProtocol) : IResponseHeaderSource
    {
        public int Measure(out long declaredLength)
        {
            declaredLength = -1;
            return ResponseHeadWriter.MeasureHeader("Upgrade", "websocket")
                + ResponseHeadWriter.MeasureHeader("Sec-WebSocket-Accept", acceptValue)
                + (subProtocol is null ? 0 : ResponseHeadWriter.MeasureHeader("Sec-WebSocket-Protocol", subProtocol));
        }

        public int Write(Span<byte> destination)
        {
            int written = ResponseHeadWriter.WriteHeader(destination, "Upgrade", "websocket");
            written += ResponseHeadWriter.WriteHeader(destination[written..], "Sec-WebSocket-Accept", acceptValue);
            if (subProtocol is not null)
            {
                written += ResponseHeadWriter.WriteHeader(destination[written..], "Sec-WebSocket-Protocol", subProtocol);
            }

            return written;
        }
    }
}
