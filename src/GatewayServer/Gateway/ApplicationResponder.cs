using System.Buffers;
using GatewayServer.Transport;

namespace GatewayServer.Gateway;

/// <summary>
/// Runs the application for one request and turns its body into framed bytes: a list of chunks
/// gets a computed Content-Length and leaves in one send, and so does an async body that ends
/// right after its first chunk; any other sequence is streamed chunk by chunk, each flushed, so
/// server-sent events reach the client as they are produced; a
/// <see cref="FileBody"/> goes out with sendfile. The body (or its enumerator) is disposed
/// whatever happens, like WSGI's <c>close()</c>.
/// </summary>
internal sealed class ApplicationResponder
{
    private readonly HttpConnection _connection;
    private readonly HttpResponse _response;

    public ApplicationResponder(HttpConnection connection, HttpResponse response)
    {
        _connection = connection;
        _response = response;
    }

    public ValueTask RespondAsync(ApplicationInvoker application, GatewayEnviron environ, CancellationToken cancellation)
    {
        if (application.Sync is { } sync)
        {
            return !_connection.BodyBuffered && !Thread.CurrentThread.IsThreadPoolThread
                ? RespondOnPoolAsync(sync, environ, cancellation)
                : WriteSyncBodyAsync(InvokeSync(sync, environ), cancellation);
        }

        IAsyncEnumerable<ReadOnlyMemory<byte>> asyncBody = application.Async!.InvokeAsync(environ, _response.StartResponse)
            ?? throw new InvalidOperationException("the application returned a null body");
        return WriteAsyncBodyAsync(asyncBody, cancellation);
    }

    /// <summary>
    /// A synchronous application whose request body is still in flight blocks in its reads until
    /// the client sends it: on the event loop that would stall every connection of the worker
    /// behind one slow (or stalled) upload, so it runs on the pool, in every <c>--app-dispatch</c>
    /// mode, where its waits do not count against <c>--threads</c> (<see cref="ThreadPoolBudget"/>).
    /// </summary>
    private async ValueTask RespondOnPoolAsync(IGatewayApplication sync, GatewayEnviron environ, CancellationToken cancellation)
    {
        // Off the loop's thread, which has no synchronization context: the rest runs as a pool work item.
        await Task.Yield();
        await WriteSyncBodyAsync(InvokeSync(sync, environ), cancellation).ConfigureAwait(false);
    }

    private IEnumerable<ReadOnlyMemory<byte>> InvokeSync(IGatewayApplication sync, GatewayEnviron environ) =>
        sync.Invoke(environ, _response.StartResponse) ?? throw new InvalidOperationException("the application returned a null body");

    private async ValueTask WriteSyncBodyAsync(IEnumerable<ReadOnlyMemory<byte>> body, CancellationToken cancellation)
    {
        try
        {
            switch (body)
            {
                case FileBody file:
                    await WriteFileAsync(file, cancellation).ConfigureAwait(false);
                    break;
                case IReadOnlyList<ReadOnlyMemory<byte>> chunks:
                    await WriteListAsync(chunks, cancellation).ConfigureAwait(false);
                    break;
                default:
                    await StreamAsync(body, cancellation).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            (body as IDisposable)?.Dispose();
        }
    }

    private async ValueTask WriteListAsync(IReadOnlyList<ReadOnlyMemory<byte>> chunks, CancellationToken cancellation)
    {
        long length = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            length += chunks[i].Length;
        }

        _response.WriteHead(length, _connection.MayKeepAlive);
        for (int i = 0; i < chunks.Count; i++)
        {
            if (!chunks[i].IsEmpty)
            {
                await _response.WriteBodyAsync(chunks[i], cancellation).ConfigureAwait(false);
            }
        }

        _response.Complete();
    }

    private async ValueTask StreamAsync(IEnumerable<ReadOnlyMemory<byte>> body, CancellationToken cancellation)
    {
        using IEnumerator<ReadOnlyMemory<byte>> chunks = body.GetEnumerator();
        while (chunks.MoveNext())
        {
            await WriteStreamedChunkAsync(chunks.Current, cancellation).ConfigureAwait(false);
        }

        EndStream();
    }

    private async ValueTask WriteAsyncBodyAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> body, CancellationToken cancellation)
    {
        IAsyncEnumerator<ReadOnlyMemory<byte>> chunks = body.GetAsyncEnumerator(cancellation);
        try
        {
            bool more = await chunks.MoveNextAsync().ConfigureAwait(false);
            while (more)
            {
                ReadOnlyMemory<byte> chunk = chunks.Current;
                if (!_response.HeadWritten && !chunk.IsEmpty && chunk.Length < ConnectionOutput.DirectWriteThreshold)
                {
                    more = await WriteFirstChunkAsync(chunks, chunk, cancellation).ConfigureAwait(false);
                    continue;
                }

                await WriteStreamedChunkAsync(chunk, cancellation).ConfigureAwait(false);
                more = await chunks.MoveNextAsync().ConfigureAwait(false);
            }

            EndStream();
        }
        finally
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
            if (body is IAsyncDisposable disposable && !ReferenceEquals(disposable, chunks))
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A body whose first chunk is also its last gets a Content-Length, as a list does. The chunk is
    /// copied first (a body may reuse its buffer once asked for the next one) and the next chunk
    /// asked for; only when the body ends without waiting is the response framed by its length.
    /// Otherwise the first chunk goes out at once, chunked: a stream is never held back. Returns
    /// whether the body has a current chunk still to write.
    /// </summary>
    private async ValueTask<bool> WriteFirstChunkAsync(IAsyncEnumerator<ReadOnlyMemory<byte>> chunks, ReadOnlyMemory<byte> chunk, CancellationToken cancellation)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(chunk.Length);
        try
        {
            chunk.CopyTo(copy);
            ReadOnlyMemory<byte> first = copy.AsMemory(0, chunk.Length);
            _response.HoldHead();
            ValueTask<bool> next = chunks.MoveNextAsync();
            if (next.IsCompletedSuccessfully)
            {
                bool more = next.Result;
                if (!more)
                {
                    _response.WriteHead(first.Length, _connection.MayKeepAlive);
                    await _response.WriteBodyAsync(first, cancellation).ConfigureAwait(false);
                    return false;
                }

                await WriteStreamedChunkAsync(first, cancellation).ConfigureAwait(false);
                return true;
            }

            await WriteStreamedChunkAsync(first, cancellation).ConfigureAwait(false);
            return await next.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private async ValueTask WriteStreamedChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellation)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (!_response.HeadWritten)
        {
            _response.WriteHead(-1, _connection.MayKeepAlive);
        }

        await _response.WriteBodyAsync(chunk, cancellation).ConfigureAwait(false);
        await _connection.Output.FlushAsync(cancellation).ConfigureAwait(false);
    }

    private void EndStream()
    {
        if (!_response.HeadWritten)
        {
            _response.WriteHead(0, _connection.MayKeepAlive);
        }

        _response.Complete();
    }

    private async ValueTask WriteFileAsync(FileBody file, CancellationToken cancellation)
    {
        _response.WriteHead(file.Length, _connection.MayKeepAlive);
        if (!_response.SuppressBody)
        {
            if (_response.DeclaredLength != file.Length)
            {
                throw new ResponseFramingException($"the Content-Length of {_response.DeclaredLength} does not match the file's {file.Length} bytes");
            }

            await _connection.Output.SendFileAsync(file.File.SafeFileHandle, file.Offset, file.Length, cancellation).ConfigureAwait(false);
            _response.CountDirectBody(file.Length);
        }

        _response.Complete();
    }
}
