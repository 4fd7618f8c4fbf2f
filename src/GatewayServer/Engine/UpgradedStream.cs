using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// A connection after <c>101 Switching Protocols</c>: one duplex stream of the new protocol's bytes,
/// starting with any the client sent right behind its request. Reads wait on the worker's event
/// loop (or go through TLS) and writes go straight out, so a long-lived WebSocket holds no thread
/// between messages. Disposing it closes the connection; the server disposes it when it gives the connection up.
/// </summary>
/// <remarks>
/// Asynchronous only: a blocking read would hold the event loop's thread (and every other
/// connection of the worker) until the client spoke. One read and one write may be in flight at
/// once, as on a socket.
/// </remarks>
internal sealed class UpgradedStream : Stream
{
    private readonly ConnectionInput _input;
    private readonly ConnectionOutput _output;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _headSent;
    private int _disposed;

    public UpgradedStream(ConnectionInput input, ConnectionOutput output, bool closesWithRequest)
    {
        _input = input;
        _output = output;
        ClosesWithRequest = closesWithRequest;
    }

    /// <summary>Whether the connection closes when the request that upgraded it ends (ASP.NET Core, as under Kestrel), rather than when the stream is disposed.</summary>
    public bool ClosesWithRequest { get; }

    /// <summary>Completes when the stream is disposed or the connection is given up.</summary>
    public Task Closed => _closed.Task;

    private bool IsHeadSent => _headSent is null || _headSent.IsCompletedSuccessfully;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Sends the 101 head the response wrote, without waiting for it: the first read or write waits
    /// instead. The output buffer goes back to the pool once the head is out: the new protocol's
    /// writes go straight to the socket.
    /// </summary>
    public void SendHead()
    {
        ValueTask flush = _output.FlushAsync();
        if (flush.IsCompletedSuccessfully)
        {
            flush.GetAwaiter().GetResult();
            _output.Release();
        }
        else
        {
            _headSent = ReleaseWhenSentAsync(flush);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return IsHeadSent ? _input.ReadAsync(buffer, cancellationToken) : ReadAfterHeadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return IsHeadSent ? _output.WriteDirectAsync(buffer, cancellationToken) : WriteAfterHeadAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes leave at once; there is nothing to flush.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("an upgraded connection is read with ReadAsync: a blocking read would hold the worker's event loop");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("an upgraded connection is written with WriteAsync: a blocking write would hold the worker's event loop");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        _closed.TrySetResult();
        base.Dispose(disposing);
    }

    private async Task ReleaseWhenSentAsync(ValueTask flush)
    {
        await flush.ConfigureAwait(false);
        _output.Release();
    }

    private async ValueTask<int> ReadAfterHeadAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        await _headSent!.ConfigureAwait(false);
        return await _input.ReadAsync(buffer, cancellation).ConfigureAwait(false);
    }

    private async ValueTask WriteAfterHeadAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellation)
    {
        await _headSent!.ConfigureAwait(false);
        await _output.WriteDirectAsync(buffer, cancellation).ConfigureAwait(false);
    }
}
