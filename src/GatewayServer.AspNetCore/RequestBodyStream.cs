using GatewayServer.Engine;
using GatewayServer.Http;
using Microsoft.AspNetCore.Http;
using BadRequest = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace GatewayServer.AspNetCore;

/// <summary>
/// <c>Request.Body</c>: the engine's body reader (de-chunked, 100-continue, the body timeouts),
/// with the request's <c>MaxRequestBodySize</c> on top, which <c>[RequestSizeLimit]</c> and
/// <c>[DisableRequestSizeLimit]</c> change before the first read. Past the limit, or on a malformed
/// body, a read throws ASP.NET Core's <see cref="BadRequest"/> with the status to answer
/// (413, 400, 408), as Kestrel's body does; the connection then closes after the response.
/// </summary>
internal sealed class RequestBodyStream : Stream
{
    private readonly ExchangeFeatures _owner;
    private long _read;
    private long _declared;

    public RequestBodyStream(ExchangeFeatures owner)
    {
        _owner = owner;
    }

    /// <summary>Whether the app has read (or tried to read) the body of the current request.</summary>
    public bool Started { get; private set; }

    /// <summary>Whether a read failed: the rest of the body is in an unknown state.</summary>
    public bool Failed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void Reset(RequestHead head)
    {
        Started = false;
        Failed = false;
        _read = 0;
        _declared = head.Framing == BodyFraming.ContentLength ? head.ContentLength : -1;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Begin();
        try
        {
            return Count(await _owner.BodyReader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Http.BadHttpRequestException error)
        {
            throw Fail(error);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _owner.ThrowUnlessSynchronousIO();
        Begin();
        try
        {
            return Count(_owner.BodyReader.Read(buffer));
        }
        catch (Http.BadHttpRequestException error)
        {
            throw Fail(error);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>A body declared larger than the limit is refused before any of it is read, as under Kestrel.</summary>
    private void Begin()
    {
        Started = true;
        if (_owner.MaxRequestBodySize is { } limit && _declared > limit)
        {
            Failed = true;
            throw TooLarge(limit);
        }
    }

    private int Count(int received)
    {
        _read += received;
        if (_owner.MaxRequestBodySize is { } limit && _read > limit)
        {
            Failed = true;
            throw TooLarge(limit);
        }

        return received;
    }

    private BadRequest Fail(Http.BadHttpRequestException error)
    {
        Failed = true;
        return new BadRequest(error.Message, error.StatusCode, error);
    }

    private static BadRequest TooLarge(long limit) =>
        new($"Request body too large. The max request body size is {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
}
