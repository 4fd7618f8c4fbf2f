namespace GatewayServer.Engine;

/// <summary>
/// The request body as a stream, for every app model that hands the app one (<c>gateway.input</c>,
/// <c>owin.RequestBody</c>): read-only, forward-only, and ending where the body ends. A malformed chunked body makes a read throw <see cref="Http.BadHttpRequestException"/>.
/// </summary>
internal sealed class RequestBodyStream : Stream
{
    private readonly RequestBodyReader _reader;
    private readonly HttpExchange _exchange;

    public RequestBodyStream(HttpExchange exchange)
    {
        _reader = exchange.Body;
        _exchange = exchange;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("the request body has no known length; read to the end");

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => _reader.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer.AsMemory(offset, count), Combine(cancellationToken)).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, Combine(cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private CancellationToken Combine(CancellationToken token) => token.CanBeCanceled ? token : _exchange.RequestAborted;
}
