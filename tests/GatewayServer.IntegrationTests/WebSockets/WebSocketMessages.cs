using System.Net.WebSockets;
using System.Text;

namespace GatewayServer.IntegrationTests.WebSockets;

/// <summary>Whole messages over a <see cref="WebSocket"/>, for tests.</summary>
public static class WebSocketMessages
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Receives one whole message, however it was fragmented.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(this WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var message = new MemoryStream();
        byte[] buffer = new byte[8192];
        while (true)
        {
            WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage || received.MessageType == WebSocketMessageType.Close)
            {
                return (received.MessageType, message.ToArray());
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        (WebSocketMessageType type, byte[] payload) = await socket.ReceiveMessageAsync();
        type.Should().Be(WebSocketMessageType.Text);
        return Encoding.UTF8.GetString(payload);
    }

    public static async Task<ClientWebSocket> ConnectAsync(string url, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri(url), timeout.Token);
        return socket;
    }
}
