using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>The PROXY protocol (--proxy-protocol) as a load balancer speaks it: raw v1 and v2 bytes before the request.</summary>
public sealed class ProxyProtocolTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    private const string Request = "GET /environ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task A_v1_header_sets_REMOTE_ADDR_and_REMOTE_PORT()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--proxy-protocol");

        RawResponse response = await SendAsync(server.Port, [.. "PROXY TCP4 203.0.113.7 127.0.0.1 56324 8000\r\n"u8, .. Encoding.ASCII.GetBytes(Request)]);

        EnvironEcho environ = EnvironEcho.Parse(response.Body);
        environ["REMOTE_ADDR"].Should().Be("203.0.113.7");
        environ["REMOTE_PORT"].Should().Be("56324");
    }

    [Fact]
    public async Task A_v2_header_with_IPv6_addresses_sets_REMOTE_ADDR_and_REMOTE_PORT()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--proxy-protocol");

        RawResponse response = await SendAsync(server.Port, [.. V2Header("2001:db8::7", 4711), .. Encoding.ASCII.GetBytes(Request)]);

        EnvironEcho environ = EnvironEcho.Parse(response.Body);
        environ["REMOTE_ADDR"].Should().Be("2001:db8::7");
        environ["REMOTE_PORT"].Should().Be("4711");
    }

    [Fact]
    public async Task A_header_split_across_two_sends_is_still_read()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--proxy-protocol");
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync("PROXY TCP4 203.0.113.7 12");
        await Task.Delay(50);
        await connection.SendAsync("7.0.0.1 56324 8000\r\n" + Request);

        EnvironEcho.Parse((await connection.ReadResponseAsync()).Body)["REMOTE_ADDR"].Should().Be("203.0.113.7");
    }

    [Theory]
    [InlineData("GET /environ HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 127.0.0.1 56324\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("PROXY TCP4 not-an-address 127.0.0.1 56324 8000\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    // Issue 15, finding 7: once read as 127.0.0.1 (then trusted with X-Forwarded-For) and 8.0.0.1.
    [InlineData("PROXY TCP4 0x7f.0.0.1 127.0.0.1 56324 8000\r\nGET /environ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n")]
    [InlineData("PROXY TCP4 010.0.0.1 127.0.0.1 56324 8000\r\nGET /environ HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("PROXY TCP4 127.1 127.0.0.1 56324 8000\r\nGET /environ HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("PROXY TCP6 ::ffff:0x7f.0.0.1 ::1 56324 8000\r\nGET /environ HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    public async Task A_connection_from_an_allowed_proxy_without_a_valid_header_is_closed_unanswered(string bytes)
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--proxy-protocol");
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);

        await connection.SendAsync(bytes);

        (await connection.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token)).Should().BeEmpty();
    }

    /// <summary>
    /// Issue 15, finding 7: a partial header was re-peeked every 5 ms, so 300 of them held open cost
    /// a third of a core until the header timeout. Now the rest is awaited on readiness.
    /// </summary>
    [Fact]
    public async Task Three_hundred_partial_headers_held_open_cost_no_CPU_and_each_is_closed_at_the_header_timeout()
    {
        const int Count = 300;
        TimeSpan headerTimeout = TimeSpan.FromSeconds(8);
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1, "--proxy-protocol", "--header-timeout", "8");
        int worker = server.WorkerPids().Single();
        var connections = new List<(RawHttpConnection Connection, long OpenedAt)>(Count);
        try
        {
            for (int i = 0; i < Count; i++)
            {
                long openedAt = Stopwatch.GetTimestamp();
                RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port);
                connections.Add((connection, openedAt));
                await connection.SendAsync("PROXY TCP4 203.0.113.7 12");
            }

            // Accepted after all of them, so answered only once the worker holds them all.
            RawResponse probe = await SendAsync(server.Port, [.. "PROXY TCP4 203.0.113.8 127.0.0.1 56324 8000\r\n"u8, .. Encoding.ASCII.GetBytes(Request)]);
            probe.Status.Should().Be(200);

            // The measurement window itself (nothing to await but time), after a second in which the
            // runtime recompiles the methods these connections made hot (tiered JIT), which costs
            // about as much as the old polling did at first.
            await Task.Delay(TimeSpan.FromSeconds(1));
            TimeSpan cpuBefore = ProcessCpuTime.Of(worker);
            long windowStart = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(2));
            double share = (ProcessCpuTime.Of(worker) - cpuBefore) / Stopwatch.GetElapsedTime(windowStart);

            share.Should().BeLessThan(0.1, "waiting for the rest of a header is a readiness wait, not a poll");

            TimeSpan[] lifetimes = await Task.WhenAll(connections.Select(async c =>
            {
                (await c.Connection.IsClosedByServerAsync(headerTimeout + TimeSpan.FromSeconds(15))).Should().BeTrue();
                return Stopwatch.GetElapsedTime(c.OpenedAt);
            }));
            lifetimes.Min().Should().BeGreaterThan(headerTimeout - TimeSpan.FromMilliseconds(100));
            lifetimes.Max().Should().BeLessThan(headerTimeout + TimeSpan.FromSeconds(5), "the sweep runs every second");
        }
        finally
        {
            foreach ((RawHttpConnection connection, _) in connections)
            {
                connection.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_peer_outside_proxy_allow_ips_speaks_plain_HTTP_and_cannot_send_a_header()
    {
        using GwserveProcess server = await GwserveProcess.StartAsync(Behaviours, "--proxy-protocol", "--proxy-allow-ips", "10.9.9.9");

        RawResponse plain = await SendAsync(server.Port, Encoding.ASCII.GetBytes(Request));
        RawResponse forged = await SendAsync(server.Port, [.. "PROXY TCP4 203.0.113.7 127.0.0.1 56324 8000\r\n"u8, .. Encoding.ASCII.GetBytes(Request)]);

        EnvironEcho.Parse(plain.Body)["REMOTE_ADDR"].Should().Be("127.0.0.1");
        forged.Status.Should().Be(400);
    }

    [Fact]
    public async Task A_PROXY_header_comes_before_the_TLS_handshake()
    {
        using var directory = new TemporaryDirectory("gwserve-proxy-tls-");
        TestCertificates certificates = TestCertificates.Create(directory.Path);
        using GwserveProcess server = await GwserveProcess.StartAsync(
            Behaviours, "--proxy-protocol", "--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync(V2Header("2001:db8::7", 4711));

        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, _, _, errors) => errors == SslPolicyErrors.None || errors == SslPolicyErrors.RemoteCertificateChainErrors);
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Request));
        string response = await new StreamReader(tls).ReadToEndAsync();

        response.Should().StartWith("HTTP/1.1 200 OK");
        EnvironEcho.Parse(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])["REMOTE_ADDR"].Should().Be("2001:db8::7");
    }

    private static byte[] V2Header(string address, ushort port)
    {
        byte[] source = IPAddress.Parse(address).GetAddressBytes();
        byte[] destination = IPAddress.IPv6Loopback.GetAddressBytes();
        return
        [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, // version 2, PROXY
            0x21, // AF_INET6, STREAM
            0x00, 36,
            .. source, .. destination,
            (byte)(port >> 8), (byte)port, 0x1F, 0x40,
        ];
    }

    private static async Task<RawResponse> SendAsync(int port, byte[] bytes)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync(bytes);
        return await connection.ReadResponseAsync();
    }
}
