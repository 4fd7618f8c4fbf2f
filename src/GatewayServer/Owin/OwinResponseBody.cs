using System.Buffers;

namespace GatewayServer.Owin;

/// <summary>
/// <c>owin.ResponseBody</c>: hands each write of the OWIN app to the server as one body chunk, without
/// copying it, and lets the write complete only once the server has sent the chunk, so the app's
/// pace follows the client's and a large body never piles up in memory.
/// </summary>
/// <remarks>
/// The app writes on its own flow (the adapter starts it on the thread pool); the adapter takes
/// chunks with <see cref="NextAsync"/>. A write's completion is signalled with asynchronous
/// continuations, so app code never runs on the connection's stack where a synchronous write
/// could wait for itself.
/// </remarks>
internal sealed class OwinResponseBody : Stream
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _chunkPosted;
    private TaskCompletionSource? _chunkTaken;
    private ReadOnlyMemory<byte> _chunk;
    private bool _hasChunk;
    private bool _handedOut;
    private bool _completed;
    private Exception? _error;
    private bool _aborted;

    /// <summary>The chunk <see cref="NextAsync"/> returned; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Releases the previous chunk (its write completes) and waits for the next one. Returns false
    /// when the app finished, and rethrows what it threw.
    /// </summary>
    public async ValueTask<bool> NextAsync()
    {
        ReleaseCurrent();
        while (true)
        {
            Task posted;
            lock (_gate)
            {
                if (_hasChunk)
                {
                    _handedOut = true;
                    Current = _chunk;
                    return true;
                }

                if (_completed)
                {
                    if (_error is not null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
                    }

                    return false;
                }

                _chunkPosted ??= new TaskCompletionSource();
                posted = _chunkPosted.Task;
            }

            await posted.ConfigureAwait(false);
        }
    }

    /// <summary>The app's task ended (with <paramref name="error"/> when it faulted): no more chunks.</summary>
    public void Complete(Exception? error)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            _completed = true;
            _error = error;
            wake = _chunkPosted;
            _chunkPosted = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>The server gave up on the response: the pending write and any later one fail.</summary>
    public void Abort()
    {
        TaskCompletionSource? taken;
        lock (_gate)
        {
            _aborted = true;
            taken = _chunkTaken;
            _chunkTaken = null;
            _hasChunk = false;
            _handedOut = false;
            _chunk = default;
        }

        taken?.TrySetException(ClientGone());
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        // Once posted, the server may be sending these very bytes, so the write cannot return
        // early on cancellation: the caller could reuse the buffer under the send.
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_aborted)
            {
                throw ClientGone();
            }

            ObjectDisposedException.ThrowIf(_completed, this);
            if (_hasChunk)
            {
                throw new InvalidOperationException("owin.ResponseBody does not take concurrent writes");
            }

            _chunk = buffer;
            _hasChunk = true;
            _chunkTaken = taken;
            wake = _chunkPosted;
            _chunkPosted = null;
        }

        wake?.TrySetResult();
        await taken.Task.ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // A span cannot wait for the send; its bytes are copied into a pooled array that can.
        byte[] copy = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            Write(copy, 0, buffer.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Every write is sent and flushed before it completes; there is nothing left to flush.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void ReleaseCurrent()
    {
        TaskCompletionSource? taken;
        lock (_gate)
        {
            if (!_handedOut)
            {
                return;
            }

            taken = _chunkTaken;
            _chunkTaken = null;
            _hasChunk = false;
            _handedOut = false;
            _chunk = default;
            Current = default;
        }

        taken?.TrySetResult();
    }

    private static IOException ClientGone() => new("the response was aborted (the client went away or the server gave up on it)");
}
