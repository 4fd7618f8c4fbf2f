using System.Net.Sockets;
using System.Text;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>
/// A raw TCP connection to the server under test: send exactly the bytes a test wants, read
/// responses back with a small independent HTTP/1.1 response parser.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
    }

    public static Task<RawHttpConnection> OpenAsync(int port) => OpenAsync(System.Net.IPAddress.Loopback, port);

    public static async Task<RawHttpConnection> OpenAsync(System.Net.IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address, port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawHttpConnection(socket);
    }

    /// <summary>The client side's port, which the server sees as the peer's.</summary>
    public int LocalPort => ((System.Net.IPEndPoint)_socket.LocalEndPoint!).Port;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Sends the bytes in pieces of the given sizes (the rest in one piece), flushing each.</summary>
    public async Task SendInPiecesAsync(byte[] bytes, IEnumerable<int> sizes)
    {
        int offset = 0;
        foreach (int size in sizes)
        {
            if (offset >= bytes.Length)
            {
                break;
            }

            int length = Math.Min(size, bytes.Length - offset);
            await SendAsync(bytes[offset..(offset + length)]);
            offset += length;
        }

        if (offset < bytes.Length)
        {
            await SendAsync(bytes[offset..]);
        }
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one response; <paramref name="isHead"/> says the request was HEAD (no body follows).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool isHead = false, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        string statusLine = await ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("connection closed before a response");
        var headers = new List<KeyValuePair<string, string>>();
        while (await ReadLineAsync(cancel.Token) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        int status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var response = new RawResponse(statusLine, headers, [], false);
        if (isHead || status is < 200 or 204 or 304)
        {
            return response;
        }

        if (string.Equals(response.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            return response with { Body = await ReadChunkedAsync(cancel.Token), WasChunked = true };
        }

        if (response.Header("Content-Length") is { } length)
        {
            return response with { Body = await ReadExactlyAsync(long.Parse(length, System.Globalization.CultureInfo.InvariantCulture), cancel.Token) };
        }

        return response with { Body = await ReadToEndAsync(cancel.Token) };
    }

    /// <summary>Whether the server closes the connection (within the timeout) without sending anything more.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return _end > _start ? false : await FillAsync(cancel.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Everything the server sends until it closes.</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellation)
    {
        var all = new MemoryStream();
        while (true)
        {
            if (_end > _start)
            {
                all.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
            }

            int read;
            try
            {
                read = await FillAsync(cancellation);
            }
            catch (SocketException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return all.ToArray();
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellation)
    {
        var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync(cancellation) ?? throw new EndOfStreamException("connection closed inside a chunked body");
            long size = Convert.ToInt64(sizeLine.Split(';')[0], 16);
            if (size == 0)
            {
                while (await ReadLineAsync(cancellation) is { Length: > 0 })
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size, cancellation));
            if (await ReadLineAsync(cancellation) is not "")
            {
                throw new InvalidDataException("chunk data not followed by CRLF");
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(long count, CancellationToken cancellation)
    {
        var result = new byte[count];
        long filled = 0;
        while (filled < count)
        {
            if (_end == _start && await FillAsync(cancellation) == 0)
            {
                throw new EndOfStreamException($"connection closed after {filled} of {count} body bytes");
            }

            int take = (int)Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellation)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_end == _start && await FillAsync(cancellation) == 0)
            {
                return line.Length == 0 ? null : throw new EndOfStreamException("connection closed mid-line");
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            line.Append(Encoding.Latin1.GetString(_buffer, _start, stop - _start));
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                if (line.Length == 0 || line[^1] != '\r')
                {
                    throw new InvalidDataException("response line not terminated by CRLF: " + line);
                }

                return line.ToString(0, line.Length - 1);
            }
        }
    }

    private async Task<int> FillAsync(CancellationToken cancellation)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
        _end += read;
        return read;
    }
}
