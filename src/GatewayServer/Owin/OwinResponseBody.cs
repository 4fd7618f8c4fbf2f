using System.Buffers;
using GatewayServer.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Owin;

/// <summary>
/// <c>owin.ResponseBody</c>, written through the exchange's <see cref="HttpResponse"/>. While the
/// app's synchronous part runs (the call of the <c>AppFunc</c>, inline on the connection's flow),
/// writes are held: the body's first bytes in a buffer of their own, so that a response the app
/// ends without waiting gets a Content-Length, and leaves with the next pipelined ones in one send.
/// When the synchronous part ends with the app still running, the handler sends what is held
/// (<see cref="SendHeldAsync"/>); from then on every write is sent before it completes, so a
/// stream reaches the client as the app produces it.
/// </summary>
/// <remarks>
/// The event loop's thread never waits for the client here: a synchronous write on it is only
/// buffered in the connection's output (which the engine sends, without blocking, once the app's
/// task completes); a synchronous write on a pool thread sends before it returns, as a blocking
/// stream does. Every write outside the synchronous part takes <see cref="_gate"/>, which the
/// handler's send of the held bytes also takes: the app, going on on another thread, never writes
/// into the output while it is being sent. (A synchronous write on the loop's thread waits for that
/// gate only while such a send is under way.)
/// </remarks>
internal sealed class OwinResponseBody : Stream
{
    /// <summary>The most of the body held back for a Content-Length; a longer body starts the response and streams.</summary>
    private const int HeldLimit = ConnectionOutput.DirectWriteThreshold / 2;

    private readonly HttpExchange _exchange;
    private readonly Func<long, bool> _startResponse;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[] _held = [];
    private int _heldLength;
    private int _synchronousThread;

    /// <param name="exchange">The connection's exchange.</param>
    /// <param name="startResponse">Writes the head (the argument is the body's length when known, else -1); false when it was written already.</param>
    public OwinResponseBody(HttpExchange exchange, Func<long, bool> startResponse)
    {
        _exchange = exchange;
        _startResponse = startResponse;
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

    private bool InSynchronousPart => Environment.CurrentManagedThreadId == Volatile.Read(ref _synchronousThread);

    /// <summary>The app's <c>AppFunc</c> is about to be called on this thread.</summary>
    public void BeginSynchronousPart()
    {
        _heldLength = 0;
        Volatile.Write(ref _synchronousThread, Environment.CurrentManagedThreadId);
    }

    /// <summary>The <c>AppFunc</c> returned its task (complete, or waiting on something).</summary>
    public void EndSynchronousPart() => Volatile.Write(ref _synchronousThread, 0);

    /// <summary>
    /// The app still runs after its synchronous part: what it wrote meanwhile is sent now (the head
    /// with it), unless the app, going on on another thread, sends it first.
    /// </summary>
    public async ValueTask SendHeldAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_heldLength > 0)
            {
                StartWithHeld();
            }

            if (_exchange.Output.BufferedLength > 0 && _exchange.Response.HeadWritten)
            {
                await _exchange.Output.FlushAsync(_exchange.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (IsClientGone(error))
        {
            _exchange.Abort();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The app's task completed: the head (with the held bytes' length when they are the whole body) and the held bytes go into the output; the engine sends them.</summary>
    public void Complete()
    {
        _startResponse(_heldLength);
        WriteHeld();
        _exchange.Response.Complete();
        // Between requests the connection holds no buffer of its own.
        Release();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        if (InSynchronousPart && TryHold(buffer))
        {
            return;
        }

        bool mayWait = Thread.CurrentThread.IsThreadPoolThread;
        bool inPart = InSynchronousPart;
        _gate.Wait();
        try
        {
            Append(buffer);
            if (mayWait && (!inPart || _exchange.Output.IsBatchFull))
            {
                // A blocking stream's write: sent before it returns (on a pool thread, where waiting is allowed).
                _exchange.Output.Flush();
            }
        }
        catch (Exception error) when (IsClientGone(error))
        {
            _exchange.Abort();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return default;
        }

        if (InSynchronousPart && TryHold(buffer.Span))
        {
            return default;
        }

        return WriteAndSendAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Starts the response if need be and sends what is buffered, on a pool thread; on the event
    /// loop's thread nothing waits for the client: what the synchronous part holds is sent when it
    /// ends, and a write outside it was sent already (or leaves when the app's task completes).
    /// </summary>
    public override void Flush()
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            return;
        }

        _gate.Wait();
        try
        {
            StartWithHeld();
            _exchange.Output.Flush();
        }
        catch (Exception error) when (IsClientGone(error))
        {
            _exchange.Abort();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the response if need be and sends what is buffered; in the synchronous part, that happens when it ends.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        InSynchronousPart ? Task.CompletedTask : SendAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // owin.ResponseBody belongs to the server: an app disposing it (a using block) ends nothing.
    }

    /// <summary>The held buffer goes back to the pool (the request is over).</summary>
    public void Release()
    {
        if (_held.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_held);
            _held = [];
        }

        _heldLength = 0;
    }

    private async Task SendAsync(CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            StartWithHeld();
            await _exchange.Output.FlushAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception error) when (IsClientGone(error))
        {
            _exchange.Abort();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask WriteAndSendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            StartWithHeld();
            await _exchange.Response.WriteBodyAsync(buffer, cancellation).ConfigureAwait(false);
            if (!InSynchronousPart || _exchange.Output.IsBatchFull)
            {
                await _exchange.Output.FlushAsync(cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (IsClientGone(error))
        {
            _exchange.Abort();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// In the synchronous part, before the head: keeps <paramref name="buffer"/> for a Content-Length
    /// while the body stays short. After the head, on the event loop, writes it into the output
    /// (sent once the synchronous part ends). False when the write must go the long way.
    /// </summary>
    private bool TryHold(ReadOnlySpan<byte> buffer)
    {
        if (!_exchange.Response.HeadWritten && _heldLength + buffer.Length <= HeldLimit)
        {
            if (_held.Length < _heldLength + buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_heldLength + buffer.Length, 1024));
                _held.AsSpan(0, _heldLength).CopyTo(larger);
                if (_held.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_held);
                }

                _held = larger;
            }

            buffer.CopyTo(_held.AsSpan(_heldLength));
            _heldLength += buffer.Length;
            return true;
        }

        return false;
    }

    /// <summary>Starts the response if need be and frames <paramref name="buffer"/> into the output, without waiting.</summary>
    private void Append(ReadOnlySpan<byte> buffer)
    {
        StartWithHeld();
        _exchange.Response.WriteBody(buffer);
    }

    /// <summary>Starts the response (a streamed one: its length is not known yet) and writes the held bytes after the head.</summary>
    private void StartWithHeld()
    {
        _startResponse(-1);
        WriteHeld();
    }

    /// <summary>The held bytes go into the output, after the head.</summary>
    private void WriteHeld()
    {
        if (_heldLength == 0)
        {
            return;
        }

        int length = _heldLength;
        _heldLength = 0;
        _exchange.Response.WriteBody(_held.AsSpan(0, length));
    }

    private static bool IsClientGone(Exception error) =>
        error is System.Net.Sockets.SocketException or IOException or ObjectDisposedException;
}
