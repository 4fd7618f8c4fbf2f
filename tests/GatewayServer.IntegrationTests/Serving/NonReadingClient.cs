using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayServer.IntegrationTests.Serving;

/// <summary>
/// The attacker of issue 15, finding 3: one connection that sends a header section as large as the
/// default limits allow, then thousands of pipelined GETs, and never reads a byte of the responses.
/// Its receive buffer is small, so the server's responses back up after a few kilobytes (as they
/// would behind any client that stops reading). Whether the server closed it is read from the
/// kernel (TCP_INFO's state), without reading the socket.
/// </summary>
public sealed class NonReadingClient : IDisposable
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const byte TcpEstablished = 1;

    private readonly Socket _socket;

    private NonReadingClient(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Until the server stops reading: the task ends when everything went out or the server closed the connection.</summary>
    public Task Sending { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// One request with <paramref name="fields"/> header fields of <paramref name="fieldSize"/> bytes
    /// each (the default limits: 100 fields of 8190 bytes, about 800 KB), then
    /// <paramref name="pipelined"/> small GETs.
    /// </summary>
    public static byte[] Attack(string path, int fields, int fieldSize, int pipelined)
    {
        var text = new StringBuilder();
        text.Append("GET ").Append(path).Append(" HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < fields; i++)
        {
            string name = $"X-Pad-{i:D3}: ";
            text.Append(name).Append('a', fieldSize - name.Length).Append("\r\n");
        }

        text.Append("\r\n");
        string get = $"GET {path} HTTP/1.1\r\nHost: h\r\n\r\n";
        for (int i = 0; i < pipelined; i++)
        {
            text.Append(get);
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    public static async Task<NonReadingClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NonReadingClient(socket);
    }

    /// <summary>Starts sending <paramref name="bytes"/> in the background; reads nothing, ever.</summary>
    public void StartSending(byte[] bytes) => Sending = SendAsync(bytes);

    /// <summary>Whether the server has closed (or reset) the connection: its TCP state is no longer ESTABLISHED.</summary>
    public bool IsClosedByServer()
    {
        Span<byte> info = stackalloc byte[256];
        try
        {
            return _socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info) > 0 && info[0] != TcpEstablished;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task SendAsync(byte[] bytes)
    {
        try
        {
            for (int sent = 0; sent < bytes.Length;)
            {
                sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The server closed the connection on us: what the test waits for.
        }
    }
}
