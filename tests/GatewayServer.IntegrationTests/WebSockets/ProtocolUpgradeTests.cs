using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.WebSockets;

/// <summary>
/// gateway.upgrade with a protocol of the app's own (TestApps' "/upgrade": every byte echoed), from
/// a synchronous app handing the stream to a task, behind the PROXY protocol; and the 101s an app
/// may not send.
/// </summary>
public sealed class ProtocolUpgradeTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task A_sync_app_switches_to_its_own_protocol_behind_the_PROXY_protocol_and_the_connection_ends_with_the_stream()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--proxy-protocol");
        using RawWebSocketClient client = await RawWebSocketClient.ConnectAsync(server.Port);

        await client.SendAsync([.. "PROXY TCP4 203.0.113.7 127.0.0.1 56324 8000\r\n"u8,
            .. "GET /upgrade HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive, Upgrade\r\nUpgrade: echo\r\n\r\nearly bytes"u8]);
        (string status, Dictionary<string, string> headers) = await client.ReadHeadAsync();

        status.Should().Be("HTTP/1.1 101 Switching Protocols");
        headers["Upgrade"].Should().Be("echo");
        headers["Connection"].Should().Be("Upgrade");
        Encoding.ASCII.GetString(await client.ReadBytesAsync("early bytes".Length)).Should().Be("early bytes");
        await client.SendAsync("and more");
        Encoding.ASCII.GetString(await client.ReadBytesAsync("and more".Length)).Should().Be("and more");

        client.ShutdownSend();
        (await client.IsClosedByServerAsync()).Should().BeTrue("the app disposes the stream at the end of its input, which closes the connection");
    }

    [Fact]
    public async Task A_101_the_app_sends_as_a_response_is_its_error_and_the_worker_serves_on()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--workers", "1");
        using RawHttpConnection upgradable = await RawHttpConnection.OpenAsync(server.Port);
        await upgradable.SendAsync("GET /status?code=101 HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
        (await upgradable.ReadResponseAsync()).Status.Should().Be(500, "a 101 goes out only through gateway.upgrade");

        using RawHttpConnection plain = await RawHttpConnection.OpenAsync(server.Port);
        await plain.SendAsync("GET /upgrade HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await plain.ReadResponseAsync()).Status.Should().Be(500, "a request that did not ask to upgrade cannot be answered 101");

        using RawHttpConnection next = await RawHttpConnection.OpenAsync(server.Port);
        await next.SendAsync("GET /pid HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await next.ReadResponseAsync()).Status.Should().Be(200);
        server.Output.Should().Contain("101 Switching Protocols response is sent by the upgrade");
        server.WorkerPids().Should().HaveCount(1);
    }
}
