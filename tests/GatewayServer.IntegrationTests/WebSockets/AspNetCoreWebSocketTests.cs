using System.Net.WebSockets;
using System.Security.Cryptography;
using GatewayServer.IntegrationTests.AspNetCore;
using GatewayServer.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace GatewayServer.IntegrationTests.WebSockets;

/// <summary>
/// An unmodified ASP.NET Core app's WebSockets under gwserve (IHttpUpgradeFeature): the
/// <c>app.UseWebSockets()</c> echo of tests/Fixtures/AspNetCoreApp, and its SignalR hub through the
/// SignalR client's WebSocket transport.
/// </summary>
public sealed class AspNetCoreWebSocketTests : IClassFixture<AspNetCoreAppServer>
{
    private readonly AspNetCoreAppServer _app;

    public AspNetCoreWebSocketTests(AspNetCoreAppServer app)
    {
        _app = app;
    }

    [Fact]
    public async Task UseWebSockets_and_AcceptWebSocketAsync_echo_text_and_a_large_binary_message()
    {
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{_app.Port}/ws");

        await socket.SendTextAsync("hello, ASP.NET Core");
        (await socket.ReceiveTextAsync()).Should().Be("hello, ASP.NET Core");
        byte[] large = RandomNumberGenerator.GetBytes(200 * 1024);
        await socket.SendAsync(large, WebSocketMessageType.Binary, true, CancellationToken.None);
        (await socket.ReceiveMessageAsync()).Payload.Should().Equal(large);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task A_raw_handshake_gets_the_101_and_a_plain_request_to_the_endpoint_gets_400()
    {
        using RawWebSocketClient client = await RawWebSocketClient.ConnectAsync(_app.Port);
        string key = RawWebSocketClient.NewKey();
        await client.SendAsync(RawWebSocketClient.Handshake("/ws", key));
        await client.ReadSwitchingProtocolsAsync(key);
        await client.SendAsync(RawWebSocketClient.CloseFrame(1000));
        (await client.ReadFrameAsync())!.Opcode.Should().Be(0x8);
        (await client.IsClosedByServerAsync()).Should().BeTrue("the connection closes when the request delegate returns");

        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_app.Port);
        await connection.SendAsync("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(400);
    }

    [Fact]
    public async Task A_SignalR_client_on_the_WebSocket_transport_invokes_the_hub_and_hears_its_broadcast()
    {
        await using HubConnection hub = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{_app.Port}/hubs/chat", options =>
            {
                // WebSockets only, without the negotiate request: the transport is the point.
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .Build();
        var broadcast = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<string>("message", message => broadcast.TrySetResult(message));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await hub.StartAsync(timeout.Token);
        (await hub.InvokeAsync<string>("Echo", "over SignalR", timeout.Token)).Should().Be("over SignalR");
        await hub.InvokeAsync("Broadcast", "to everyone", timeout.Token);
        (await broadcast.Task.WaitAsync(timeout.Token)).Should().Be("to everyone");
        (await hub.InvokeAsync<int>("WorkerPid", timeout.Token)).Should().BeOneOf(_app.Server.WorkerPids());

        await hub.StopAsync(timeout.Token);
        hub.State.Should().Be(HubConnectionState.Disconnected);
    }
}
