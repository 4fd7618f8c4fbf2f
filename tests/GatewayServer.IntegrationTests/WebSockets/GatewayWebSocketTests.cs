using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.WebSockets;

/// <summary>
/// WebSockets on the gateway contract (gateway.upgrade and WebSocketAcceptor), served by the real
/// gwserve running samples/ChatApp, with .NET's ClientWebSocket and a raw-socket client.
/// </summary>
public sealed class GatewayWebSocketTests : IDisposable
{
    private static readonly string ChatApp = RepositoryLayout.Sample("ChatApp") + ":App";

    private readonly TemporaryDirectory _directory = new("gwserve-ws-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ClientWebSocket_gets_text_and_a_large_binary_message_echoed_and_closes_cleanly()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(ChatApp);
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/echo");

        await socket.SendTextAsync("hello, gwserve");
        (await socket.ReceiveTextAsync()).Should().Be("hello, gwserve");

        // Past 64 KiB: the echo comes back in fragments of the server's buffer, reassembled here.
        byte[] large = RandomNumberGenerator.GetBytes(300 * 1024 + 7);
        await socket.SendAsync(large, WebSocketMessageType.Binary, true, CancellationToken.None);
        (WebSocketMessageType type, byte[] echoed) = await socket.ReceiveMessageAsync();
        type.Should().Be(WebSocketMessageType.Binary);
        echoed.Should().Equal(large);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        socket.State.Should().Be(WebSocketState.Closed);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.Output.Should().NotContain("Connection error").And.NotContain("Application error");
    }

    [Fact]
    public async Task The_server_can_start_the_close_handshake()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(ChatApp);
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/echo");

        await socket.SendTextAsync("close");
        (WebSocketMessageType type, _) = await socket.ReceiveMessageAsync();

        type.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        socket.CloseStatusDescription.Should().Be("bye");
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task A_raw_client_sees_an_exact_101_and_gets_fragments_pings_and_bytes_sent_behind_the_handshake_answered()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(ChatApp);
        using RawWebSocketClient client = await RawWebSocketClient.ConnectAsync(server.Port);
        string key = RawWebSocketClient.NewKey();

        // A frame in the same send as the handshake: it is in the server's buffer before the app upgrades.
        await client.SendAsync([.. Encoding.Latin1.GetBytes(RawWebSocketClient.Handshake("/echo", key)), .. RawWebSocketClient.Frame(0x1, "early"u8)]);
        await client.ReadSwitchingProtocolsAsync(key);
        (await client.ReadFrameAsync())!.Text.Should().Be("early");

        // A message in three fragments: each comes back as it went, in order, ending with FIN.
        await client.SendAsync([.. RawWebSocketClient.Frame(0x1, "Hel"u8, fin: false), .. RawWebSocketClient.Frame(0x0, "lo, "u8, fin: false), .. RawWebSocketClient.Frame(0x0, "world"u8)]);
        var fragments = new List<ServerFrame>();
        do
        {
            fragments.Add((await client.ReadFrameAsync())!);
        }
        while (!fragments[^1].Fin);

        fragments[0].Opcode.Should().Be(0x1);
        fragments.Skip(1).Should().OnlyContain(f => f.Opcode == 0x0);
        Encoding.UTF8.GetString([.. fragments.SelectMany(f => f.Payload)]).Should().Be("Hello, world");

        await client.SendAsync(RawWebSocketClient.Frame(0x9, "are you there"u8));
        ServerFrame pong = (await client.ReadFrameAsync())!;
        pong.Opcode.Should().Be(0xA);
        pong.Text.Should().Be("are you there");

        await client.SendAsync(RawWebSocketClient.CloseFrame(1000, "done"));
        ServerFrame close = (await client.ReadFrameAsync())!;
        close.Opcode.Should().Be(0x8);
        close.CloseCode.Should().Be(1000);
        (await client.IsClosedByServerAsync()).Should().BeTrue("closing the stream closes the connection");
    }

    [Fact]
    public async Task Bad_handshakes_get_426_and_400_and_a_declined_upgrade_is_an_ordinary_response_on_a_connection_that_lives_on()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(ChatApp, "--workers", "1");
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync(RawWebSocketClient.Handshake("/echo", RawWebSocketClient.NewKey(), version: "8"));
        RawResponse badVersion = await connection.ReadResponseAsync();
        badVersion.Status.Should().Be(426);
        badVersion.Header("Sec-WebSocket-Version").Should().Be("13");

        await connection.SendAsync("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(400, "the key is missing");

        await connection.SendAsync("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(400, "the key is not 16 bytes");

        // A body makes a request not upgradable: the app is told so (no gateway.upgrade) and answers 400.
        await connection.SendAsync($"GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {RawWebSocketClient.NewKey()}\r\nSec-WebSocket-Version: 13\r\nContent-Length: 5\r\n\r\nhello");
        (await connection.ReadResponseAsync()).Status.Should().Be(400);

        // The page declines to upgrade: an ordinary 200, and the connection serves on.
        await connection.SendAsync(RawWebSocketClient.Handshake("/", RawWebSocketClient.NewKey()));
        RawResponse page = await connection.ReadResponseAsync();
        page.Status.Should().Be(200);
        page.BodyText.Should().Contain("<title>gwserve chat</title>");
        page.Header("Upgrade").Should().BeNull();

        await connection.SendAsync("GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(404);

        // A plain GET to the WebSocket endpoint is not a handshake.
        await connection.SendAsync("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await connection.ReadResponseAsync()).Status.Should().Be(400);

        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/echo");
        await socket.SendTextAsync("still here");
        (await socket.ReceiveTextAsync()).Should().Be("still here");
        server.WorkerPids().Should().HaveCount(1);
        server.Output.Should().NotContain("Application error");
    }

    [Fact]
    public async Task A_WebSocket_works_over_TLS()
    {
        TestCertificates certificates = TestCertificates.Create(_directory.Path);
        using GwserveProcess server = await GwserveProcess.StartAsync(ChatApp, "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey);
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(File.ReadAllText(certificates.CaCertificate));
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"wss://localhost:{server.Port}/echo", options =>
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustsOnly(ca, certificate, errors));

        await socket.SendTextAsync("over TLS");
        (await socket.ReceiveTextAsync()).Should().Be("over TLS");
        byte[] large = RandomNumberGenerator.GetBytes(100 * 1024);
        await socket.SendAsync(large, WebSocketMessageType.Binary, true, CancellationToken.None);
        (await socket.ReceiveMessageAsync()).Payload.Should().Equal(large);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task Two_hundred_WebSockets_stay_open_at_once_over_two_workers_and_a_room_hears_its_members()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 2);
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                sockets.Add(await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/r{i % 10}"));
            }

            string[] welcomes = await Task.WhenAll(sockets.Select(s => s.ReceiveTextAsync()));
            welcomes.Should().OnlyContain(w => w.StartsWith("joined r", StringComparison.Ordinal));
            int[] pids = [.. welcomes.Select(w => int.Parse(w[(w.LastIndexOf(' ') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)).Distinct()];
            pids.Should().BeSubsetOf(server.WorkerPids()).And.HaveCount(2, "accept balancing counts open WebSockets as open connections");

            // Every socket is still open: each says something in its room, and hears itself.
            await Task.WhenAll(sockets.Select((s, i) => s.SendTextAsync($"hello from {i}")));
            foreach ((ClientWebSocket socket, int i) in sockets.Select((s, i) => (s, i)))
            {
                var heard = new List<string>();
                while (!heard.Contains($"hello from {i}"))
                {
                    heard.Add(await socket.ReceiveTextAsync());
                }
            }

            await Task.WhenAll(sockets.Select(s => s.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)));
            sockets.Should().OnlyContain(s => s.State == WebSocketState.Closed);
        }
        finally
        {
            foreach (ClientWebSocket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Open_WebSockets_hold_no_thread_of_a_worker_whose_app_runs_on_its_event_loop()
    {
        // One worker, the app always on the loop's thread: a WebSocket that held it would stop everything else.
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(ChatApp, 1, "--app-dispatch", "loop");
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                sockets.Add(await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/room/loop"));
                sockets.Add(await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/echo"));
            }

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}"), Timeout = TimeSpan.FromSeconds(30) };
            for (int i = 0; i < 10; i++)
            {
                (await client.GetAsync("/")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            }

            ClientWebSocket echo = sockets[^1];
            await echo.SendTextAsync("the loop is free");
            (await echo.ReceiveTextAsync()).Should().Be("the loop is free");
        }
        finally
        {
            foreach (ClientWebSocket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task An_OWIN_app_accepts_a_WebSocket_with_websocket_Accept()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(RepositoryLayout.Sample("OwinApp") + ":Startup.App");
        using ClientWebSocket socket = await WebSocketMessages.ConnectAsync($"ws://127.0.0.1:{server.Port}/ws");

        await socket.SendTextAsync("hello, OWIN");
        (await socket.ReceiveTextAsync()).Should().Be("hello, OWIN");
        byte[] binary = RandomNumberGenerator.GetBytes(10_000);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None);
        (await socket.ReceiveMessageAsync()).Payload.Should().Equal(binary);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);

        using RawHttpConnection plain = await RawHttpConnection.OpenAsync(server.Port);
        await plain.SendAsync("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await plain.ReadResponseAsync()).Status.Should().Be(400);
    }

    private static bool TrustsOnly(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return certificate is X509Certificate2 leaf && chain.Build(leaf);
    }
}
