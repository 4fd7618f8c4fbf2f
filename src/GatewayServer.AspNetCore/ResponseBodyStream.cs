namespace GatewayServer.AspNetCore;

/// <summary>
/// <c>Response.Body</c>: every write is sent at once (after what the body pipe holds), as Kestrel's
/// response stream does, so a server-sent event written without a flush still reaches the client.
/// Synchronous writes throw unless the app allows synchronous IO.
/// </summary>
internal sealed class ResponseBodyStream : Stream
{
    private readonly ResponseBodyPipe _pipe;
    private readonly ExchangeFeatures _owner;

    public ResponseBodyStream(ResponseBodyPipe pipe, ExchangeFeatures owner)
    {
        _pipe = pipe;
        _owner = owner;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _owner.WriteAndFlushAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _owner.WriteAndFlushAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _owner.FlushBodyAsync(cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _owner.ThrowUnlessSynchronousIO();
        buffer.CopyTo(_pipe.GetSpan(buffer.Length));
        _pipe.Advance(buffer.Length);
        _owner.FlushBodyAsync(default).AsTask().GetAwaiter().GetResult();
    }

    public override void Flush()
    {
        _owner.ThrowUnlessSynchronousIO();
        _owner.FlushBodyAsync(default).AsTask().GetAwaiter().GetResult();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
