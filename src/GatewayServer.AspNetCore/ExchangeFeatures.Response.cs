using GatewayServer.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GatewayServer.AspNetCore;

/// <summary>
/// The response side. Status and headers stay here until the response starts (the first flush,
/// <c>StartAsync</c>, a file, or the app's end); then the engine frames it (<see cref="Engine.HttpResponse"/>): a
/// response the app ends without having flushed gets a Content-Length, any other is chunked
/// unless the app set one. Writes through the body stream are sent at once, as Kestrel's are;
/// the body pipe is sent at each flush.
/// </summary>
internal abstract partial class ExchangeFeatures :
    IHttpResponseFeature,
    IHttpResponseBodyFeature,
    IHttpResponseTrailersFeature
{
    private readonly HeaderDictionary _responseHeaders = new();
    private readonly HeaderDictionary _trailers = new();
    private readonly ResponseHeaderLines _headerLines;
    private readonly ResponseHeaderLines _trailerLines;
    private readonly ResponseBodyPipe _responseBody;
    private readonly ResponseBodyStream _responseStream;
    private readonly List<KeyValuePair<Func<object, Task>, object>> _onStarting = [];
    private readonly List<KeyValuePair<Func<object, Task>, object>> _onCompleted = [];
    private readonly DeferredSend _deferredSend = new();
    private Stream? _responseStreamOverride;
    private bool _closeAfterResponse;

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    IHeaderDictionary IHttpResponseFeature.Headers
    {
        get => _responseHeaders;
        set => throw new NotSupportedException("gwserve keeps its own response header dictionary");
    }

    [Obsolete("Use IHttpResponseBodyFeature.Stream")]
    Stream IHttpResponseFeature.Body
    {
        get => _responseStreamOverride ?? _responseStream;
        set => _responseStreamOverride = value;
    }

    public bool HasStarted { get; private set; }

    public Stream Stream => _responseStream;

    public System.IO.Pipelines.PipeWriter Writer => _responseBody;

    public IHeaderDictionary Trailers
    {
        get => _trailers;
        set => throw new NotSupportedException("gwserve keeps its own trailer dictionary");
    }

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }

        _onStarting.Add(new(callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add(new(callback, state));

    public void DisableBuffering()
    {
        // Nothing is held back but what the app writes to the pipe without flushing.
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => FlushBodyAsync(cancellationToken).AsTask();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long fileLength = RandomAccess.GetLength(file);
        if (offset < 0 || offset > fileLength || (count is { } c && (c < 0 || c > fileLength - offset)))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"offset {offset} and count {count} do not fit the {fileLength} bytes of {path}");
        }

        long length = count ?? fileLength - offset;
        if (!HasStarted && _responseBody.BufferedLength == 0)
        {
            await StartResponseAsync(length).ConfigureAwait(false);
        }
        else
        {
            await FlushBodyAsync(cancellationToken).ConfigureAwait(false);
        }

        Engine.HttpResponse response = Exchange.Response;
        if (response.SuppressBody || length == 0)
        {
            return;
        }

        await _deferredSend.TakeAsync().ConfigureAwait(false);

        if (response.DeclaredLength >= 0 && response.BodyLength + length > response.DeclaredLength)
        {
            throw new InvalidOperationException($"the file's {length} bytes would pass the response's Content-Length of {response.DeclaredLength}");
        }

        if (response.IsChunked)
        {
            Span<byte> size = Exchange.Output.GetSpan(20);
            System.Buffers.Text.Utf8Formatter.TryFormat(length, size, out int digits, new System.Buffers.StandardFormat('x'));
            "\r\n"u8.CopyTo(size[digits..]);
            Exchange.Output.Advance(digits + 2);
        }

        try
        {
            await Exchange.Output.SendFileAsync(file, offset, length, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The client went away (not the file failing to read): as for the writes below.
            Exchange.Abort();
            return;
        }

        response.CountDirectBody(length);
        if (response.IsChunked)
        {
            Exchange.Output.Write("\r\n"u8);
        }
    }

    /// <summary>Ends the response and sends it (the app may go on working after it, as under Kestrel).</summary>
    public async Task CompleteAsync()
    {
        await CompleteResponseAsync().ConfigureAwait(false);
        try
        {
            await SendAsync(default).ConfigureAwait(false);
        }
        catch (Exception error) when (IsClientGone(error))
        {
            Exchange.Abort();
        }
    }

    /// <summary>Sends what the body pipe holds, starting the response first if need be.</summary>
    internal async ValueTask FlushBodyAsync(CancellationToken cancellation)
    {
        if (!HasStarted)
        {
            await StartResponseAsync(-1).ConfigureAwait(false);
        }

        try
        {
            await _deferredSend.TakeAsync().ConfigureAwait(false);
            await WriteBufferedAsync(cancellation).ConfigureAwait(false);
            await SendAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception error) when (IsClientGone(error))
        {
            Exchange.Abort();
        }
    }

    /// <summary>Writes <paramref name="data"/> after what the pipe holds and sends it all (the body stream's write).</summary>
    internal async ValueTask WriteAndFlushAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        if (!HasStarted)
        {
            await StartResponseAsync(-1).ConfigureAwait(false);
        }

        try
        {
            await _deferredSend.TakeAsync().ConfigureAwait(false);
            await WriteBufferedAsync(cancellation).ConfigureAwait(false);
            if (!data.IsEmpty)
            {
                await Exchange.Response.WriteBodyAsync(data, cancellation).ConfigureAwait(false);
            }

            await SendAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception error) when (IsClientGone(error))
        {
            Exchange.Abort();
        }
    }

    /// <summary>Sends what the output holds, unless the send can wait for the end of the app's synchronous run (<see cref="DeferredSend"/>).</summary>
    private ValueTask SendAsync(CancellationToken cancellation) =>
        _deferredSend.TryDefer(Exchange.Output) ? default : Exchange.Output.FlushAsync(cancellation);

    /// <summary>
    /// The app's request delegate has returned without finishing (it waits on something): what
    /// its flushes deferred is sent now, unless the app, going on on another thread, took it over.
    /// </summary>
    protected async ValueTask SendDeferredAsync()
    {
        if (!_deferredSend.TryBeginSending(out TaskCompletionSource sent))
        {
            return;
        }

        try
        {
            await Exchange.Output.FlushAsync(default).ConfigureAwait(false);
        }
        catch (Exception error) when (IsClientGone(error))
        {
            Exchange.Abort();
        }
        finally
        {
            _deferredSend.EndSending(sent);
        }
    }

    /// <summary>The app's request delegate is about to run: its flushes may be deferred until it returns.</summary>
    protected void BeginSynchronousPart() => _deferredSend.BeginSynchronousPart();

    /// <summary>The app's request delegate has returned.</summary>
    protected void EndSynchronousPart() => _deferredSend.EndSynchronousPart();

    /// <summary>
    /// A send failed because the client went away: as under Kestrel, the app's write returns, the
    /// request is aborted (<c>RequestAborted</c> fires) and nothing is logged as the app's error.
    /// </summary>
    private static bool IsClientGone(Exception error) =>
        error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException;

    /// <summary>Ends the response: starts it if the app never did (with the pipe's bytes as its Content-Length), then ends the body.</summary>
    protected async ValueTask CompleteResponseAsync()
    {
        if (HasCompleted)
        {
            return;
        }

        if (!HasStarted)
        {
            await StartResponseAsync(_responseBody.BufferedLength).ConfigureAwait(false);
        }

        await _deferredSend.TakeAsync().ConfigureAwait(false);
        await WriteBufferedAsync(default).ConfigureAwait(false);
        HasCompleted = true;
        Exchange.Response.Complete(_trailers.Count > 0 ? _trailerLines : null);
    }

    /// <summary>Whether the body has been ended (by <c>CompleteAsync</c> or the app's end).</summary>
    protected bool HasCompleted { get; private set; }

    /// <summary>
    /// Replaces a response that has not started with an empty one of <paramref name="status"/>, for
    /// an exception the app let out; the connection closes after it unless <paramref name="keepAlive"/>.
    /// Returns false when the response had started already (then only closing the connection is left).
    /// </summary>
    protected async ValueTask<bool> TrySendErrorAsync(int status, bool keepAlive)
    {
        if (HasStarted)
        {
            return false;
        }

        _onStarting.Clear();
        _responseHeaders.Clear();
        _responseBody.Clear();
        _closeAfterResponse |= !keepAlive;
        StatusCode = status;
        ReasonPhrase = null;
        await StartResponseAsync(0).ConfigureAwait(false);
        HasCompleted = true;
        Exchange.Response.Complete();
        return true;
    }

    /// <summary>Runs the OnCompleted callbacks, last registered first, as Kestrel does; a failing one is logged, not thrown.</summary>
    protected async ValueTask FireOnCompletedAsync()
    {
        for (int i = _onCompleted.Count - 1; i >= 0; i--)
        {
            try
            {
                await _onCompleted[i].Key(_onCompleted[i].Value).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                Exchange.Context.Log.AppError(Method, RawTarget, error);
            }
        }
    }

    private async ValueTask StartResponseAsync(long knownLength)
    {
        for (int i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Key(_onStarting[i].Value).ConfigureAwait(false);
        }

        await _deferredSend.TakeAsync().ConfigureAwait(false);
        HasStarted = true;
        _responseHeaders.IsReadOnly = true;
        bool keepAlive = Exchange.MayKeepAlive && !_closeAfterResponse && !_headerLines.AsksToClose();
        Exchange.Response.WriteHead(StatusCode, _headerLines, knownLength, keepAlive);
    }

    private async ValueTask WriteBufferedAsync(CancellationToken cancellation)
    {
        if (_responseBody.BufferedLength > 0)
        {
            await Exchange.Response.WriteBodyAsync(_responseBody.Buffered, cancellation).ConfigureAwait(false);
            _responseBody.Clear();
        }
    }

    /// <summary>Closes the connection after this response (a body the app could not read, an error).</summary>
    protected void CloseAfterResponse() => _closeAfterResponse = true;

    private void ResetResponse()
    {
        StatusCode = StatusCodes.Status200OK;
        ReasonPhrase = null;
        HasStarted = false;
        HasCompleted = false;
        _closeAfterResponse = false;
        _responseHeaders.IsReadOnly = false;
        _responseHeaders.Clear();
        _trailers.Clear();
        _onStarting.Clear();
        _onCompleted.Clear();
        _responseStreamOverride = null;
        _responseBody.Clear();
        _deferredSend.Reset();
    }
}
