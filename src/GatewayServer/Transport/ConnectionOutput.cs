using System.Buffers;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>
/// The send side of a connection: small writes (heads, small chunks, pipelined responses) gather
/// in one pooled buffer and leave in one send; large bodies go straight from the caller's memory.
/// Writes go to the socket, or, once <see cref="UseStream"/> was called (TLS), to a stream over
/// it; files then go through a pooled buffer, since sendfile(2) cannot encrypt. A send that has
/// to wait for the client is timed (<see cref="SendDeadline"/>): the worker's sweep asks
/// <see cref="IsSendOverdue"/> and closes a connection whose client does not take its responses.
/// </summary>
internal sealed class ConnectionOutput : IDisposable
{
    /// <summary>Body chunks at least this large skip the buffer.</summary>
    public const int DirectWriteThreshold = 16 * 1024;

    /// <summary>
    /// How many bytes of pipelined responses gather before they are sent, ahead of parsing the next
    /// request: a client that sends requests but does not read the answers stops being served once
    /// this much waits for it, instead of having every answer it asked for held in memory.
    /// </summary>
    public const int BatchLimit = 4 * 1024;

    /// <summary>A buffer grown past this (a large head, a large buffered chunk) goes back to the pool once sent, rather than staying with the connection.</summary>
    private const int KeptBufferSize = 32 * 1024;

    private const int Idle = 0;
    private const int Sending = 1;
    private const int TakenOver = 2;
    private const int FileCopyBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private Stream? _stream;
    private byte[] _buffer;
    private int _length;
    private int _sendState;
    private SendDeadline _deadline;

    /// <param name="socket">The connection.</param>
    /// <param name="minSendRate">The slowest a client may take its responses, in bytes per second, once <paramref name="sendGrace"/> has passed; 0 for no limit.</param>
    /// <param name="sendGrace">The least time any wait for the client is given.</param>
    public ConnectionOutput(Socket socket, double minSendRate = 0, TimeSpan sendGrace = default)
    {
        _socket = socket;
        _buffer = [];
        _deadline = new SendDeadline(minSendRate, sendGrace);
    }

    public int BufferedLength => _length;

    /// <summary>Whether enough responses have gathered that they go out before the next request is parsed (<see cref="BatchLimit"/>).</summary>
    public bool IsBatchFull => _length >= BatchLimit;

    /// <summary>Called by the worker's sweep, on its own thread: whether a send has waited on the client past its deadline.</summary>
    public bool IsSendOverdue(long now) => _deadline.IsPast(now);

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
                await WriteToStreamAsync(_buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            }

            BytesSent += length;
            if (_buffer.Length > KeptBufferSize && _length == 0)
            {
                ReturnBuffer();
            }
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
            for (int sent = _stream is null ? TrySendNow(_buffer.AsSpan(0, _length)) : 0; sent < _length;)
            {
                int slice = Math.Min(_length - sent, SendDeadline.Slice);
                _deadline.Start(Environment.TickCount64, slice);
                try
                {
                    if (_stream is not null)
                    {
                        _stream.Write(_buffer, sent, slice);
                        sent += slice;
                    }
                    else
                    {
                        sent += _socket.Send(_buffer.AsSpan(sent, slice), SocketFlags.None);
                    }
                }
                finally
                {
                    _deadline.Stop();
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

        if (_stream is not null)
        {
            // TLS: the answer must go through the stream, or it would corrupt the session; written
            // without holding the sweep's thread, timed like any other send.
            _ = AnswerThroughStreamAsync(_stream, response.ToArray());
            return true;
        }

        try
        {
            // Never waits: a client that reads nothing must not hold the sweep's thread. What the
            // kernel will not take now is dropped; the connection closes either way.
            TrySendNow(response);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The client is gone; the connection's own thread finds out on its next send.
        }

        return true;
    }

    private async Task AnswerThroughStreamAsync(Stream stream, byte[] response)
    {
        try
        {
            await WriteToStreamAsync(response, CancellationToken.None).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
            // The client is gone; the connection's own thread finds out on its next send.
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

    /// <summary>
    /// The send that waits for the client: a slice at a time, each timed by the deadline, and after
    /// each slice as much more as the kernel takes at once.
    /// </summary>
    private async ValueTask WaitAndSendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (true)
        {
            int slice = Math.Min(bytes.Length, SendDeadline.Slice);
            _deadline.Start(Environment.TickCount64, slice);
            try
            {
                await _socket.SendAsync(bytes[..slice], SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            finally
            {
                _deadline.Stop();
            }

            bytes = bytes[slice..];
            if (!bytes.IsEmpty && !cancellation.IsCancellationRequested)
            {
                bytes = bytes[TrySendNow(bytes.Span)..];
            }

            if (bytes.IsEmpty)
            {
                return;
            }
        }
    }

    /// <summary>Writes through the stream (TLS) a slice at a time, each timed: a stream cannot say whether a write will wait.</summary>
    private async ValueTask WriteToStreamAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (!bytes.IsEmpty)
        {
            int slice = Math.Min(bytes.Length, SendDeadline.Slice);
            _deadline.Start(Environment.TickCount64, slice);
            try
            {
                await _stream!.WriteAsync(bytes[..slice], cancellation).ConfigureAwait(false);
            }
            finally
            {
                _deadline.Stop();
            }

            bytes = bytes[slice..];
        }
    }

    /// <summary>For <see cref="FileSender"/>: a wait for the socket to take more of a file begins.</summary>
    internal void StartWaiting() => _deadline.Start(Environment.TickCount64, SendDeadline.Slice);

    /// <summary>For <see cref="FileSender"/>: the wait is over.</summary>
    internal void StopWaiting() => _deadline.Stop();

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
                await WriteToStreamAsync(bytes, cancellation).ConfigureAwait(false);
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
                await FileSender.SendAsync(_socket, file, offset, count, this, cancellation).ConfigureAwait(false);
            }
            else
            {
                await CopyFileAsync(file, offset, count, cancellation).ConfigureAwait(false);
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

    private async ValueTask CopyFileAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long count, CancellationToken cancellation)
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

                await WriteToStreamAsync(chunk.AsMemory(0, read), cancellation).ConfigureAwait(false);
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
