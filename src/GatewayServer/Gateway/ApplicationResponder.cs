using System.Buffers;
using GatewayServer.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Gateway;

/// <summary>
/// Serves a connection's requests to a gateway-contract application through the engine's
/// <see cref="HttpExchange"/>: hands it the environ and <c>startResponse</c>, and turns its body
/// into framed bytes: a list of chunks gets a computed Content-Length and leaves in one send, and
/// so does an async body that ends right after its first chunk; any other sequence is streamed
/// chunk by chunk, each flushed, so server-sent events reach the client as they are produced; a
/// <see cref="FileBody"/> goes out with sendfile. The body (or its enumerator) is disposed
/// whatever happens, like WSGI's <c>close()</c>.
/// </summary>
internal sealed class ApplicationResponder : IExchangeHandler
{
    private readonly HttpExchange _exchange;
    private readonly HttpResponse _response;
    private readonly GatewayResponseHead _head;
    private readonly GatewayEnviron _environ;
    private readonly IGatewayApplication? _sync;
    private readonly IAsyncGatewayApplication? _async;

    public ApplicationResponder(HttpExchange exchange, GatewayAppModel model)
    {
        _exchange = exchange;
        _response = exchange.Response;
        _head = new GatewayResponseHead(exchange.Response);
        _environ = new GatewayEnviron(new EnvironBuilder(exchange, model.Errors, this));
        _sync = model.Sync;
        _async = model.Async;
    }

    /// <summary>The <c>gateway.upgrade</c> of this connection's requests: the app's 101 from <c>startResponse</c>, and the stream outlives the call.</summary>
    public ProtocolUpgrade Upgrade => field ??= () => _exchange.Upgrade(_ => _head.Write(-1, allowKeepAlive: false), closesWithRequest: false);

    /// <summary>Not an async method: the request's one state machine is the body writer's.</summary>
    public ValueTask ProcessAsync()
    {
        _environ.Reset();
        _head.Reset(_exchange.Head.CanUpgrade);
        CancellationToken cancellation = _exchange.RequestAborted;
        if (_sync is { } sync)
        {
            return !_exchange.BodyBuffered && !Thread.CurrentThread.IsThreadPoolThread
                ? RespondOnPoolAsync(sync, cancellation)
                : WriteSyncBodyAsync(InvokeSync(sync), cancellation);
        }

        IAsyncEnumerable<ReadOnlyMemory<byte>> asyncBody = _async!.InvokeAsync(_environ, _head.StartResponse)
            ?? throw new InvalidOperationException("the application returned a null body");
        return WriteAsyncBodyAsync(asyncBody, cancellation);
    }

    /// <summary>The environ was valid only while its request ran: what it held goes (an upgraded connection keeps only its stream).</summary>
    public void Release() => _environ.Reset();

    /// <summary>
    /// A synchronous application whose request body is still in flight blocks in its reads until
    /// the client sends it: on the event loop that would stall every connection of the worker
    /// behind one slow (or stalled) upload, so it runs on the pool, in every <c>--app-dispatch</c>
    /// mode, where its waits do not count against <c>--threads</c> (<see cref="ThreadPoolBudget"/>).
    /// </summary>
    private async ValueTask RespondOnPoolAsync(IGatewayApplication sync, CancellationToken cancellation)
    {
        // Off the loop's thread, which has no synchronization context: the rest runs as a pool work item.
        await Task.Yield();
        await WriteSyncBodyAsync(InvokeSync(sync), cancellation).ConfigureAwait(false);
    }

    private IEnumerable<ReadOnlyMemory<byte>> InvokeSync(IGatewayApplication sync) =>
        sync.Invoke(_environ, _head.StartResponse) ?? throw new InvalidOperationException("the application returned a null body");

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

        _head.Write(length, _exchange.MayKeepAlive);
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
            _head.Hold();
            ValueTask<bool> next = chunks.MoveNextAsync();
            if (next.IsCompletedSuccessfully)
            {
                bool more = next.Result;
                if (!more)
                {
                    _head.Write(first.Length, _exchange.MayKeepAlive);
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
            _head.Write(-1, _exchange.MayKeepAlive);
        }

        await _response.WriteBodyAsync(chunk, cancellation).ConfigureAwait(false);
        await _exchange.Output.FlushAsync(cancellation).ConfigureAwait(false);
    }

    private void EndStream()
    {
        if (!_response.HeadWritten)
        {
            _head.Write(0, _exchange.MayKeepAlive);
        }

        _response.Complete();
    }

    private async ValueTask WriteFileAsync(FileBody file, CancellationToken cancellation)
    {
        _head.Write(file.Length, _exchange.MayKeepAlive);
        if (!_response.SuppressBody)
        {
            if (_response.DeclaredLength != file.Length)
            {
                throw new ResponseFramingException($"the Content-Length of {_response.DeclaredLength} does not match the file's {file.Length} bytes");
            }

            await _exchange.Output.SendFileAsync(file.File.SafeFileHandle, file.Offset, file.Length, cancellation).ConfigureAwait(false);
            _response.CountDirectBody(file.Length);
        }

        _response.Complete();
    }
}
