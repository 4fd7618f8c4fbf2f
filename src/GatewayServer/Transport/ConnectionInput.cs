using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>
/// The receive side of a connection: one pooled buffer holding the bytes read but not yet
/// consumed. Requests are parsed in place; the buffer grows only up to the caller's limit.
/// Reads go to the socket itself, or, once <see cref="UseStream"/> was called (TLS), to a stream
/// over it; the socket path is the same code it always was, behind one null check.
/// A buffer grown for one large head does not stay large: as its bytes are consumed it shrinks
/// back (or goes back when empty), so the next reads take no more than a small buffer holds, and
/// a buffer past <see cref="MaxPooledSize"/> is never kept by the pool, where nothing would ever
/// give it back to the system.
/// </summary>
internal sealed class ConnectionInput : IDisposable, IThreadPoolWorkItem
{
    private const int InitialSize = 4096;

    /// <summary>
    /// The largest buffer taken from and returned to the shared pool; larger ones (heads past it,
    /// up to the header limits) are allocated for the one head and left to the garbage collector.
    /// </summary>
    private const int MaxPooledSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly ReadinessLoop? _loop;
    private ReadinessWaiter? _waiter;

    /// <summary>Whether the kernel may hold bytes no readiness event will announce: the last receive filled its buffer, or went another way than the loop's.</summary>
    private bool _mayHaveMore;
    private Stream? _stream;
    private Action? _turn;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <param name="socket">The connection.</param>
    /// <param name="loop">The worker's event loop, or null to receive through .NET's socket engine.</param>
    public ConnectionInput(Socket socket, ReadinessLoop? loop)
    {
        _socket = socket;
        _loop = loop;
        _buffer = [];
    }

    /// <summary>Whether reads go through a stream (TLS) rather than straight to the socket.</summary>
    public bool IsStream => _stream is not null;

    /// <summary>Every byte received on the connection so far (for the worker's metrics).</summary>
    public long BytesReceived { get; private set; }

    /// <summary>The bytes received and not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public int BufferedLength => _end - _start;

    /// <summary>Set once the peer has closed its sending side.</summary>
    public bool Completed { get; private set; }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > InitialSize)
            {
                ReturnBuffer();
            }
        }
        else if (_buffer.Length > InitialSize && BufferedLength <= _buffer.Length / 4)
        {
            // Shrinking by at least four each time copies, in all, less than the buffer held.
            Resize(Math.Max(InitialSize, BufferedLength * 2));
        }
    }

    /// <summary>Copies up to <paramref name="destination"/>'s length of buffered bytes out and consumes them.</summary>
    public int CopyTo(Span<byte> destination, int max)
    {
        int count = Math.Min(Math.Min(destination.Length, max), BufferedLength);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        Consume(count);
        return count;
    }

    /// <summary>Receives more bytes after those buffered; returns 0 at end of stream.</summary>
    public async ValueTask<int> FillAsync(int maxBuffered, CancellationToken cancellation)
    {
        while (true)
        {
            Memory<byte> free = PrepareFree(maxBuffered);
            int received;
            if (_loop is null || _stream is not null)
            {
                received = _stream is null
                    ? await _socket.ReceiveAsync(free, SocketFlags.None, cancellation).ConfigureAwait(false)
                    : await _stream.ReadAsync(free, cancellation).ConfigureAwait(false);
                _mayHaveMore = true;
            }
            else
            {
                received = TryReceiveNow(free.Span);
                if (received == ReceiveWouldWait)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (BufferedLength == 0)
                    {
                        // Hold no buffer while waiting, as WaitForDataAsync does.
                        ReturnBuffer();
                    }

                    _waiter ??= _loop.Register(_socket);
                    await _waiter.WaitAsync(cancellation).ConfigureAwait(false);
                    continue;
                }

                // An error is left to Socket.ReceiveAsync to report, so it surfaces as on the engine path.
                received = received == ReceiveFailed
                    ? await _socket.ReceiveAsync(free, SocketFlags.None, cancellation).ConfigureAwait(false)
                    : received;
                _mayHaveMore = received == free.Length;
            }

            return Received(received);
        }
    }

    /// <summary>
    /// Receives into <paramref name="destination"/>, for a connection that switched protocols: the
    /// bytes already buffered first (the client may have sent them right behind its request), then
    /// straight from the socket, waiting on the event loop (or through the stream, TLS). Holds no
    /// buffer of its own once the buffered bytes are gone. Returns 0 at the end of the stream.
    /// Pooled: a long-lived connection reads many times, and most reads wait.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellation)
    {
        if (BufferedLength > 0)
        {
            int copied = CopyTo(destination.Span, destination.Length);
            if (BufferedLength == 0)
            {
                ReturnBuffer();
            }

            return copied;
        }

        ReturnBuffer();
        if (destination.IsEmpty)
        {
            // A zero-byte read waits for bytes without taking them, as a socket's does.
            await WaitForDataAsync(cancellation).ConfigureAwait(false);
            return 0;
        }

        if (_loop is null || _stream is not null)
        {
            return await ReceiveDirectAsync(destination, cancellation).ConfigureAwait(false);
        }

        while (true)
        {
            int received = TryReceiveNow(destination.Span);
            if (received == ReceiveWouldWait)
            {
                cancellation.ThrowIfCancellationRequested();
                // The kernel holds nothing: a zero-byte read may wait for the loop's event.
                _mayHaveMore = false;
                _waiter ??= _loop.Register(_socket);
                await _waiter.WaitAsync(cancellation).ConfigureAwait(false);
                continue;
            }

            if (received == ReceiveFailed)
            {
                // Reported as Socket.ReceiveAsync reports it, as FillAsync does.
                return await ReceiveDirectAsync(destination, cancellation).ConfigureAwait(false);
            }

            Completed |= received == 0;
            BytesReceived += received;
            _mayHaveMore = received == destination.Length;
            return received;
        }
    }

    /// <summary>From now on, reads go through <paramref name="stream"/> (an <c>SslStream</c> over the socket).</summary>
    public void UseStream(Stream stream) => _stream = stream;

    /// <summary>Lets the worker's other connections have a turn before this one goes on.</summary>
    public LoopTurn YieldAsync() => new(this);

    /// <summary>For <see cref="LoopTurn"/>: runs <paramref name="continuation"/> after what is already waiting.</summary>
    internal void ContinueAfterOthers(Action continuation)
    {
        if (_loop is null || _stream is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static resume => resume(), continuation, preferLocal: false);
            return;
        }

        _turn = continuation;
        _loop.Post(this);
    }

    /// <summary>Run by the event loop: the connection's turn has come again.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        Action turn = _turn!;
        _turn = null;
        turn();
    }

    /// <summary>
    /// Waits until bytes arrive without holding a buffer meanwhile: the buffer goes back to the pool
    /// and a zero-byte receive waits for readability, as Kestrel does, so an idle keep-alive
    /// connection costs no buffer memory.
    /// </summary>
    public ValueTask<int> WaitForDataAsync(CancellationToken cancellation)
    {
        if (BufferedLength > 0)
        {
            return ValueTask.FromResult(BufferedLength);
        }

        // Not an async method: the socket's own awaitable is returned, so waiting adds no state machine.
        // SslStream passes a zero-byte read through too, and lets go of its own buffer meanwhile.
        ReturnBuffer();
        if (_loop is not null && _stream is null)
        {
            // Edge-triggered: bytes the last receive left in the kernel raise no new event.
            if (_mayHaveMore)
            {
                return ValueTask.FromResult(1);
            }

            _waiter ??= _loop.Register(_socket);
            return _waiter.WaitAsync(cancellation);
        }

        return _stream is null
            ? _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellation)
            : _stream.ReadAsync(Memory<byte>.Empty, cancellation);
    }

    /// <summary>
    /// The blocking form of <see cref="FillAsync"/>, for synchronous applications reading their body.
    /// On the socket the caller polls first and <paramref name="cancellation"/> is not needed; a
    /// stream cannot be polled (TLS may already hold decrypted bytes the socket does not show), so
    /// there the read blocks on the stream and <paramref name="cancellation"/> ends it.
    /// </summary>
    public int Fill(int maxBuffered, CancellationToken cancellation)
    {
        Memory<byte> free = PrepareFree(maxBuffered);
        _mayHaveMore = true;
        return Received(_stream is null
            ? _socket.Receive(free.Span, SocketFlags.None)
            : _stream.ReadAsync(free, cancellation).AsTask().GetAwaiter().GetResult());
    }

    /// <summary>Receives straight into <paramref name="destination"/>, bypassing the buffer (large bodies).</summary>
    public async ValueTask<int> ReceiveDirectAsync(Memory<byte> destination, CancellationToken cancellation)
    {
        int received = _stream is null
            ? await _socket.ReceiveAsync(destination, SocketFlags.None, cancellation).ConfigureAwait(false)
            : await _stream.ReadAsync(destination, cancellation).ConfigureAwait(false);
        Completed |= received == 0;
        BytesReceived += received;
        _mayHaveMore = true;
        return received;
    }

    /// <summary>The blocking form of <see cref="ReceiveDirectAsync"/>; socket only (see <see cref="Fill"/>).</summary>
    public int ReceiveDirect(Span<byte> destination)
    {
        if (_stream is not null)
        {
            throw new InvalidOperationException("a stream is read through the buffer with Fill");
        }

        int received = _socket.Receive(destination, SocketFlags.None);
        Completed |= received == 0;
        BytesReceived += received;
        _mayHaveMore = true;
        return received;
    }

    /// <summary>
    /// Waits up to <paramref name="microseconds"/> for bytes (or end of stream) to be readable.
    /// Always true for a stream, which cannot be polled: read it with <see cref="Fill"/>'s token.
    /// </summary>
    public bool Poll(int microseconds) => _stream is not null || _socket.Poll(microseconds, SelectMode.SelectRead);

    /// <summary>Ends a wait on the event loop in progress: the connection is being aborted.</summary>
    public void AbortWait() => _waiter?.Fail(new ObjectDisposedException(nameof(Socket)));

    public void Dispose()
    {
        ReturnBuffer();
        if (_waiter is not null)
        {
            _loop!.Unregister(_waiter);
        }
    }

    private const int ReceiveWouldWait = -1;
    private const int ReceiveFailed = -2;

    /// <summary>recv(2) that never waits: bytes received (0 at the end), <see cref="ReceiveWouldWait"/>, or <see cref="ReceiveFailed"/>.</summary>
    private unsafe int TryReceiveNow(Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            while (true)
            {
                nint received = Libc.recv(_socket.SafeHandle, start, destination.Length, Libc.MSG_DONTWAIT);
                if (received >= 0)
                {
                    return (int)received;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Libc.EINTR)
                {
                    return errno == Libc.EAGAIN ? ReceiveWouldWait : ReceiveFailed;
                }
            }
        }
    }

    /// <summary>
    /// Reads and drops what the client still sends, briefly, before closing: closing with unread
    /// bytes makes the kernel send a reset, which can destroy the error response in flight.
    /// </summary>
    public async ValueTask LingerAsync()
    {
        using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        byte[] scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            for (int total = 0; total < 256 * 1024;)
            {
                int received = await _socket.ReceiveAsync(scratch, SocketFlags.None, linger.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }

                total += received;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void ReturnBuffer()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length is > 0 and <= MaxPooledSize)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unconsumed bytes into a buffer of at least <paramref name="size"/> bytes.</summary>
    private void Resize(int size)
    {
        byte[] resized = size <= MaxPooledSize ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        int length = BufferedLength;
        Buffer.BlockCopy(_buffer, _start, resized, 0, length);
        byte[] old = _buffer;
        _buffer = resized;
        _start = 0;
        _end = length;
        if (old.Length is > 0 and <= MaxPooledSize)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    private Memory<byte> PrepareFree(int maxBuffered)
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            // Move the unconsumed tail to the front rather than grow.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
        else if (_end == _buffer.Length)
        {
            int size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, InitialSize), Math.Max(maxBuffered, _buffer.Length + 1));
            // Past the pooled sizes, straight to the limit: one allocation for a large head, not one per doubling.
            Resize(size > MaxPooledSize ? Math.Max(size, maxBuffered) : size);
        }

        return _buffer.AsMemory(_end);
    }

    private int Received(int received)
    {
        _end += received;
        Completed |= received == 0;
        BytesReceived += received;
        return received;
    }
}
