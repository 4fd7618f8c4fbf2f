using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Owin;

/// <summary>
/// OWIN built straight on the connection engine's exchange (issue 16): proxy trust as for the
/// gateway contract, a bad response header answered 500 without injection, and a synchronous
/// write that never holds the event loop for a slow client.
/// </summary>
public sealed class OwinExchangeTests
{
    private static readonly string App = RepositoryLayout.Fixture("TestApps") + ":OwinBehaviours.Invoke";

    private const string ProxyHeaders =
        "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: example.com\r\nX-Forwarded-Prefix: /app\r\n";

    [Fact]
    public async Task Proxy_headers_from_a_trusted_address_set_the_OWIN_scheme_client_host_and_path_base()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(
            App, "--script-name", "/mount", "--forwarded-headers", "x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix");

        Dictionary<string, string> keys = await RequestEnvironmentAsync(server.Port, "/mount/environment", ProxyHeaders);

        keys["owin.RequestScheme"].Should().Be("https");
        keys["server.RemoteIpAddress"].Should().Be("203.0.113.7");
        keys["server.IsLocal"].Should().Be("False");
        keys["Host"].Should().Be("example.com");
        keys["owin.RequestPathBase"].Should().Be("/app/mount");
        keys["owin.RequestPath"].Should().Be("/environment");
        keys["server.LocalIpAddress"].Should().Be("127.0.0.1");
        keys["server.LocalPort"].Should().Be(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Proxy_headers_from_an_untrusted_address_change_no_OWIN_key()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(
            App, "--forwarded-allow-ips", "10.9.9.9", "--forwarded-headers", "x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix");

        Dictionary<string, string> keys = await RequestEnvironmentAsync(server.Port, "/environment", ProxyHeaders);

        keys["owin.RequestScheme"].Should().Be("http");
        keys["server.RemoteIpAddress"].Should().Be("127.0.0.1");
        keys["server.IsLocal"].Should().Be("True");
        keys["Host"].Should().Be("localhost");
        keys["owin.RequestPathBase"].Should().Be(string.Empty);
    }

    [Fact]
    public async Task A_response_header_with_CR_LF_is_the_apps_error_answered_500_and_the_worker_serves_on()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(App, 1);
        int worker = server.WorkerPids().Should().ContainSingle().Subject;
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("GET /bad-header HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();

        response.StatusLine.Should().Be("HTTP/1.1 500 Internal Server Error");
        response.Header("Injected").Should().BeNull("the value never reaches the wire");
        response.Header("X-Bad").Should().BeNull();
        await server.WaitForLineAsync(l => l.Contains("X-Bad", StringComparison.Ordinal));

        using RawHttpConnection next = await RawHttpConnection.OpenAsync(server.Port);
        await next.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await next.ReadResponseAsync()).BodyText.Should().Be("ok");
        server.WorkerPids().Should().Equal([worker], "the worker lives on");
    }

    [Fact]
    public async Task A_synchronous_write_larger_than_the_socket_buffers_to_a_client_that_does_not_read_holds_up_no_other_connection()
    {
        // One worker whose loop runs every request (never moved to the pool): a write that waited
        // for the client on the loop's thread would stall every other connection of the worker.
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(App, 1, "--app-dispatch", "loop");
        const int Large = 16 * 1024 * 1024;
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync(IPAddress.Loopback, server.Port);
        await slow.SendAsync(Encoding.ASCII.GetBytes($"GET /large-sync?bytes={Large} HTTP/1.1\r\nHost: localhost\r\n\r\n"), SocketFlags.None);
        byte[] first = new byte[1];
        (await slow.ReceiveAsync(first, SocketFlags.None)).Should().Be(1, "the response has started and the client now stops reading");

        using RawHttpConnection other = await RawHttpConnection.OpenAsync(server.Port);
        await other.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawResponse response = await other.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));

        response.BodyText.Should().Be("ok");
        slow.Connected.Should().BeTrue();
    }

    [Fact]
    public async Task A_synchronous_read_of_a_body_still_in_flight_holds_up_no_other_connection_and_gets_the_whole_body()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(App, 1, "--app-dispatch", "loop");
        using RawHttpConnection upload = await RawHttpConnection.OpenAsync(server.Port);
        await upload.SendAsync("POST /read-sync HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello");

        using RawHttpConnection other = await RawHttpConnection.OpenAsync(server.Port);
        await other.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        (await other.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10))).BodyText.Should().Be("ok", "the upload's read waits on the pool, not on the event loop");

        await upload.SendAsync("world");
        (await upload.ReadResponseAsync()).BodyText.Should().Be("10");
    }

    private static async Task<Dictionary<string, string>> RequestEnvironmentAsync(int port, string path, string headers)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n");
        RawResponse response = await connection.ReadResponseAsync();
        response.Status.Should().Be(200);
        return response.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }
}
