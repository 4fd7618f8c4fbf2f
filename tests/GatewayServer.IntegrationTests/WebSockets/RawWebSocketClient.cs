using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace GatewayServer.IntegrationTests.WebSockets;

/// <summary>
/// A WebSocket client written from RFC 6455 on a raw socket, independent of .NET's implementation:
/// the handshake is bytes the test chooses, and frames are written and read one by one, so a test
/// can send fragments, pings and close frames exactly and see exactly what the server sent back.
/// </summary>
public sealed class RawWebSocketClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    private RawWebSocketClient(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawWebSocketClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new RawWebSocketClient(socket);
    }

    /// <summary>A fresh Sec-WebSocket-Key: 16 random bytes in base64.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>The Sec-WebSocket-Accept a server must answer <paramref name="key"/> with (RFC 6455 section 4.2.2), computed here independently.</summary>
    public static string ExpectedAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    public static string Handshake(string path, string key, string version = "13") =>
        $"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n\r\n";

    public async Task SendAsync(byte[] bytes)
    {
        for (int sent = 0; sent < bytes.Length;)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Reads a response head (through the blank line); the bytes after it stay for <see cref="ReadFrameAsync"/>.</summary>
    public async Task<(string StatusLine, Dictionary<string, string> Headers)> ReadHeadAsync()
    {
        while (true)
        {
            int end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                string[] lines = Encoding.Latin1.GetString(_buffer, _start, end).Split("\r\n");
                _start += end + 4;
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (string line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':');
                    headers[line[..colon]] = headers.TryGetValue(line[..colon], out string? previous)
                        ? previous + ", " + line[(colon + 1)..].Trim()
                        : line[(colon + 1)..].Trim();
                }

                return (lines[0], headers);
            }

            if (await FillAsync() == 0)
            {
                throw new EndOfStreamException("the server closed before the end of the response head");
            }
        }
    }

    /// <summary>Reads the response head and checks it is exactly a WebSocket 101 for <paramref name="key"/>: no framing headers, the accept value computed here.</summary>
    public async Task ReadSwitchingProtocolsAsync(string key)
    {
        (string status, Dictionary<string, string> headers) = await ReadHeadAsync();
        status.Should().Be("HTTP/1.1 101 Switching Protocols");
        headers["Upgrade"].Should().Be("websocket");
        headers["Connection"].Should().Be("Upgrade");
        headers["Sec-WebSocket-Accept"].Should().Be(ExpectedAccept(key));
        headers.Should().NotContainKeys("Content-Length", "Transfer-Encoding");
    }

    /// <summary>A client frame: always masked (RFC 6455 section 5.3), with a random key.</summary>
    public static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true)
    {
        int lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | opcode);
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (lengthBytes == 2)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        Span<byte> mask = frame.AsSpan(2 + lengthBytes, 4);
        RandomNumberGenerator.Fill(mask);
        for (int i = 0; i < payload.Length; i++)
        {
            frame[2 + lengthBytes + 4 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    public static byte[] CloseFrame(ushort code, string reason = "")
    {
        byte[] payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Frame(0x8, payload);
    }

    /// <summary>The next frame from the server, which must not be masked; null when the server closed the connection.</summary>
    public async Task<ServerFrame?> ReadFrameAsync()
    {
        if (!await EnsureAsync(2))
        {
            return null;
        }

        byte first = _buffer[_start];
        byte second = _buffer[_start + 1];
        if ((second & 0x80) != 0)
        {
            throw new InvalidDataException("a server frame is never masked (RFC 6455 section 5.1)");
        }

        long length = second & 0x7F;
        int header = 2;
        if (length == 126)
        {
            await RequireAsync(4);
            length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
            header = 4;
        }
        else if (length == 127)
        {
            await RequireAsync(10);
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2));
            header = 10;
        }

        await RequireAsync(header + (int)length);
        byte[] payload = _buffer.AsSpan(_start + header, (int)length).ToArray();
        _start += header + (int)length;
        return new ServerFrame((first & 0x80) != 0, first & 0x0F, payload);
    }

    /// <summary>Exactly <paramref name="count"/> bytes of a protocol that is not WebSocket.</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        await RequireAsync(count);
        byte[] bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Whether the server closed the TCP connection (a read returns 0, or a reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        if (_end > _start)
        {
            return false;
        }

        try
        {
            return await FillAsync() == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task RequireAsync(int count)
    {
        if (!await EnsureAsync(count))
        {
            throw new EndOfStreamException("the server closed in the middle of a frame");
        }
    }

    private async Task<bool> EnsureAsync(int count)
    {
        while (_end - _start < count)
        {
            if (await FillAsync() == 0)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<int> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        using var timeout = new CancellationTokenSource(Timeout);
        int received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
        _end += received;
        return received;
    }
}

/// <summary>One frame the server sent.</summary>
public sealed record ServerFrame(bool Fin, int Opcode, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    public ushort CloseCode => BinaryPrimitives.ReadUInt16BigEndian(Payload);
}
