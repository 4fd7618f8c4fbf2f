using System.Buffers;
using System.IO.Pipelines;

namespace GatewayServer.AspNetCore;

/// <summary>
/// <c>Response.BodyWriter</c>: collects what the app writes into one pooled buffer per connection
/// until it flushes (or the response ends), when <see cref="ExchangeFeatures"/> frames and sends it.
/// A response written entirely before the app returns therefore leaves with a Content-Length, in
/// one send with its head.
/// </summary>
internal sealed class ResponseBodyPipe : PipeWriter
{
    private const int MinimumSize = 4096;

    private readonly ExchangeFeatures _owner;
    private byte[] _buffer = [];
    private int _length;

    public ResponseBodyPipe(ExchangeFeatures owner)
    {
        _owner = owner;
    }

    public int BufferedLength => _length;

    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(0, _length);

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _length;

    public override void Advance(int bytes)
    {
        if ((uint)bytes > (uint)(_buffer.Length - _length))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "advanced past the memory handed out");
        }

        _length += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_length);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ValueTask flush = _owner.FlushBodyAsync(cancellationToken);
        return flush.IsCompletedSuccessfully ? new ValueTask<FlushResult>(default(FlushResult)) : AwaitFlushAsync(flush);
    }

    public override void CancelPendingFlush()
    {
        // Flushes are not queued behind one another; there is nothing pending to cancel.
    }

    public override void Complete(Exception? exception = null)
    {
        // The response ends when the app's request delegate returns, as under Kestrel.
    }

    /// <summary>Forgets what was written (it has been sent, or the response is replaced).</summary>
    public void Clear() => _length = 0;

    private static async ValueTask<FlushResult> AwaitFlushAsync(ValueTask flush)
    {
        await flush.ConfigureAwait(false);
        return default;
    }

    private void Reserve(int sizeHint)
    {
        int needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length && _buffer.Length - _length >= Math.Max(sizeHint, 256))
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(needed, _length + 256), Math.Max(MinimumSize, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
