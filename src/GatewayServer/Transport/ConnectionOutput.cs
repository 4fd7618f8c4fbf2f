using System.Buffers;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>
/// The send side of a connection: small writes (heads, small chunks, pipelined responses) gather
/// in one pooled buffer and leave in one send; large bodies go straight from the caller's memory.
/// Writes go to the socket, or, once <see cref="UseStream"/> was called (TLS), to a stream over
/// it; files then go through a pooled buffer, since sendfile(2) cannot encrypt.
/// </summary>
internal sealed class ConnectionOutput : IDisposable
{
    /// <summary>Body chunks at least this large skip the buffer.</summary>
    public const int DirectWriteThreshold = 16 * 1024;

    private const int Idle = 0;
    private const int Sending = 1;
    private const int TakenOver = 2;
    private const int FileCopyBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private Stream? _stream;
    private byte[] _buffer;
    private int _length;
    private int _sendState;

    public ConnectionOutput(Socket socket)
    {
        _socket = socket;
        _buffer = [];
    }

    public int BufferedLength => _length;

    /// <summary>From now on, writes go through <paramref name="stream"/> (an <c>SslStream</c> over the socket).</summary>
    public void UseStream(Stream stream) => _stream = stream;

    /// <summary>Bytes handed to the socket so far (for the access log and tests of framing).</summary>
    public long BytesSent { get; private set; }

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _length < sizeHint)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, 4096), _length + sizeHint));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _length);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public async ValueTask FlushAsync(CancellationToken cancellation = default)
    {
        if (_length == 0)
        {
            return;
        }

        int length = _length;
        _length = 0;
        BeginSend();
        try
        {
            if (_stream is null)
            {
                await SendToSocketAsync(_buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            }
            else
            {
                await _stream.WriteAsync(_buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            }

            BytesSent += length;
        }
        finally
        {
            EndSend();
        }
    }

    public void Flush()
    {
        BeginSend();
        try
        {
            if (_stream is not null)
            {
                _stream.Write(_buffer, 0, _length);
            }
            else
            {
                for (int sent = 0; sent < _length;)
                {
                    sent += _socket.Send(_buffer.AsSpan(sent, _length - sent), SocketFlags.None);
                }
            }

            BytesSent += _length;
            _length = 0;
        }
        finally
        {
            EndSend();
        }
    }

    /// <summary>
    /// From another thread (the worker's timeout sweep): sends <paramref name="response"/> and
    /// half-closes, provided no send is under way and exactly <paramref name="expectedBytesSent"/>
    /// bytes have gone out, i.e. nothing of the current response. Every later send by the
    /// connection's own thread then fails, so the two never interleave on the wire.
    /// </summary>
    public bool TryTakeOver(long expectedBytesSent, ReadOnlySpan<byte> response)
    {
        if (Interlocked.CompareExchange(ref _sendState, TakenOver, Idle) != Idle)
        {
            return false;
        }

        if (BytesSent != expectedBytesSent)
        {
            Volatile.Write(ref _sendState, Idle);
            return false;
        }

        // The sweep must never wait on a client: what the kernel does not take at once is not sent.
        try
        {
            if (_stream is not null)
            {
                // TLS: the answer must go through the stream, or it would corrupt the session; the
                // write finishes (or fails) on the pool, and only then does the send side close.
                _ = _stream.WriteAsync(response.ToArray()).AsTask().ContinueWith(
                    static (_, socket) => ShutdownSend((Socket)socket!), _socket, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                return true;
            }

            TrySendNow(response);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The client is gone; the connection's own thread finds out on its next send.
        }

        ShutdownSend(_socket);
        return true;
    }

    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The client is gone, or the connection closed meanwhile.
        }
    }

    /// <summary>
    /// Sends on the socket, first with a send(2) that never waits. Socket.SendAsync keeps an
    /// event-args object (about 360 bytes) on the socket from its first call until the connection
    /// closes, an idle keep-alive connection's largest single cost; yet nearly every response fits
    /// the kernel's send buffer and needs no wait. Only what does not fit, a send already cancelled,
    /// or an error (then reported as Socket.SendAsync reports it) goes through Socket.SendAsync.
    /// </summary>
    private ValueTask SendToSocketAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        if (!cancellation.IsCancellationRequested)
        {
            int sent = TrySendNow(bytes.Span);
            if (sent == bytes.Length)
            {
                return ValueTask.CompletedTask;
            }

            bytes = bytes[sent..];
        }

        return WaitAndSendAsync(bytes, cancellation);
    }

    private async ValueTask WaitAndSendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation) =>
        await _socket.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false);

    /// <summary>How many bytes the kernel took at once; 0 when it would have waited or failed.</summary>
    private unsafe int TrySendNow(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            nint sent = Libc.send(_socket.SafeHandle, start, bytes.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            return sent > 0 ? (int)sent : 0;
        }
    }

    private void BeginSend()
    {
        if (Interlocked.CompareExchange(ref _sendState, Sending, Idle) == TakenOver)
        {
            throw new IOException("the response was already answered by the request timeout");
        }
    }

    private void EndSend() => Interlocked.CompareExchange(ref _sendState, Idle, Sending);

    /// <summary>Sends what is buffered, then <paramref name="bytes"/> without copying them.</summary>
    public async ValueTask WriteDirectAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation = default)
    {
        await FlushAsync(cancellation).ConfigureAwait(false);
        BeginSend();
        try
        {
            if (_stream is null)
            {
                await SendToSocketAsync(bytes, cancellation).ConfigureAwait(false);
            }
            else
            {
                await _stream.WriteAsync(bytes, cancellation).ConfigureAwait(false);
            }

            BytesSent += bytes.Length;
        }
        finally
        {
            EndSend();
        }
    }

    /// <summary>Sends a region of a file with sendfile(2), after what is buffered; through a stream, by copying.</summary>
    public async ValueTask SendFileAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long count, CancellationToken cancellation = default)
    {
        await FlushAsync(cancellation).ConfigureAwait(false);
        BeginSend();
        try
        {
            if (_stream is null)
            {
                await FileSender.SendAsync(_socket, file, offset, count, cancellation).ConfigureAwait(false);
            }
            else
            {
                await CopyFileAsync(_stream, file, offset, count, cancellation).ConfigureAwait(false);
            }

            BytesSent += count;
        }
        finally
        {
            EndSend();
        }
    }

    /// <summary>Drops what is buffered (a response that must not go out).</summary>
    public void Discard() => _length = 0;

    /// <summary>Gives the buffer back to the pool when nothing is waiting in it (an idle connection).</summary>
    public void Release()
    {
        if (_length == 0)
        {
            ReturnBuffer();
        }
    }

    public void Dispose() => ReturnBuffer();

    private static async ValueTask CopyFileAsync(Stream stream, Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long count, CancellationToken cancellation)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(FileCopyBufferSize, Math.Max(count, 1)));
        try
        {
            long end = offset + count;
            for (long position = offset; position < end;)
            {
                int read = await RandomAccess.ReadAsync(file, chunk.AsMemory(0, (int)Math.Min(chunk.Length, end - position)), position, cancellation).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("the file ended before the region sent");
                }

                await stream.WriteAsync(chunk.AsMemory(0, read), cancellation).ConfigureAwait(false);
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void ReturnBuffer()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
