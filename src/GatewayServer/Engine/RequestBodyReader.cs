using GatewayServer.Http;
using GatewayServer.Http.Body;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// Reads one request's body off the connection, de-chunked, and stops exactly at its end, so the
/// next pipelined request stays in the buffer untouched. Reads may be synchronous (sync apps) or
/// asynchronous; both share the framing logic. Every wait for body bytes is timed by the
/// connection's <see cref="TimeoutControl"/>: a body that stalls or trickles ends in 408. The first
/// read sends the 100 Continue a client asked for, through the connection's <see cref="HttpResponse"/>.
/// </summary>
internal sealed class RequestBodyReader
{
    /// <summary>Reads at least this large go straight into the caller's memory.</summary>
    private const int DirectReadThreshold = 8192;

    /// <summary>How often a blocking (synchronous) read wakes to see whether its timer expired.</summary>
    private const int SyncPollMicroseconds = 250_000;

    /// <summary>How long a blocking read waits for body bytes before it stops counting against <c>--threads</c>.</summary>
    private const int BriefPollMicroseconds = 1000;

    private readonly ConnectionInput _input;
    private readonly HttpResponse _response;
    private readonly TimeoutControl _timeouts;
    private readonly HttpLimits _limits;
    private ChunkedBodyDecoder? _chunked;
    private BodyFraming _framing;
    private long _remaining;

    public RequestBodyReader(ConnectionInput input, HttpResponse response, TimeoutControl timeouts, HttpLimits limits)
    {
        _input = input;
        _response = response;
        _timeouts = timeouts;
        _limits = limits;
    }

    /// <summary>
    /// The connection's abort token, once the connection has made it: a read under it needs no
    /// linked source of its own, since the abort ends the read anyway (it closes the socket).
    /// </summary>
    public CancellationToken RequestAborted { get; set; }

    /// <summary>Whether the whole body has been read (or there is none).</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Whether the application has asked for any of the body.</summary>
    public bool Started { get; private set; }

    /// <summary>Whether the rest of the body is already in the buffer, so reading it never waits for the client.</summary>
    public bool IsBuffered => IsComplete || (_framing == BodyFraming.ContentLength && _input.BufferedLength >= _remaining);

    public void Reset(RequestHead head)
    {
        _framing = head.Framing;
        _remaining = head.ContentLength;
        IsComplete = _framing == BodyFraming.None;
        Started = false;
        if (_framing == BodyFraming.Chunked)
        {
            // Made on the first chunked request only: most connections never see one.
            _chunked ??= new ChunkedBodyDecoder(_limits);
            _chunked.Reset();
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellation)
    {
        if (IsComplete || destination.IsEmpty)
        {
            return 0;
        }

        ThrowIfExpired();

        if (!Started)
        {
            Started = true;
            await _response.SendContinueAsync(RequestAborted).ConfigureAwait(false);
        }

        while (true)
        {
            if (_input.BufferedLength > 0)
            {
                int taken = TakeBuffered(destination.Span);
                if (taken > 0 || IsComplete)
                {
                    return taken;
                }
            }
            else if (_framing == BodyFraming.ContentLength && destination.Length >= DirectReadThreshold)
            {
                return Received(await WaitAsync(destination[..(int)Math.Min(destination.Length, _remaining)], cancellation).ConfigureAwait(false));
            }
            else if (await WaitAsync(Memory<byte>.Empty, cancellation).ConfigureAwait(false) == 0)
            {
                RequestRejection.Throw(RequestRejectionReason.UnexpectedEndOfBody);
            }
        }
    }

    public int Read(Span<byte> destination)
    {
        if (IsComplete || destination.IsEmpty)
        {
            return 0;
        }

        ThrowIfExpired();
        if (!Started)
        {
            Started = true;
            _response.SendContinue();
        }

        while (true)
        {
            if (_input.BufferedLength > 0)
            {
                int taken = TakeBuffered(destination);
                if (taken > 0 || IsComplete)
                {
                    return taken;
                }
            }
            else if (_framing == BodyFraming.ContentLength && destination.Length >= DirectReadThreshold && !_input.IsStream)
            {
                return Received(Wait(destination[..(int)Math.Min(destination.Length, _remaining)]));
            }
            else if (Wait([]) == 0)
            {
                RequestRejection.Throw(RequestRejectionReason.UnexpectedEndOfBody);
            }
        }
    }

    /// <summary>
    /// Reads and discards what the application left unread, up to <paramref name="maxBytes"/>, so the
    /// connection can carry the next request. Returns false when the body is larger than that.
    /// </summary>
    public async ValueTask<bool> DrainAsync(long maxBytes, CancellationToken cancellation)
    {
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            long drained = 0;
            while (!IsComplete)
            {
                if (drained > maxBytes)
                {
                    return false;
                }

                drained += await ReadAsync(scratch, cancellation).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Waits for body bytes: into <paramref name="direct"/> when it is not empty, else into the
    /// connection's buffer. The app's own token, when it passes one, still cancels the read.
    /// </summary>
    private async ValueTask<int> WaitAsync(Memory<byte> direct, CancellationToken cancellation)
    {
        CancellationTokenSource? linked = cancellation.CanBeCanceled && cancellation != RequestAborted
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellation, _timeouts.Token)
            : null;
        CancellationToken token = linked?.Token ?? _timeouts.Token;
        int received = 0;
        _timeouts.StartReading(Environment.TickCount64);
        try
        {
            received = direct.IsEmpty
                ? await _input.FillAsync(0, token).ConfigureAwait(false)
                : await _input.ReceiveDirectAsync(direct, token).ConfigureAwait(false);
            return received;
        }
        catch (OperationCanceledException) when (_timeouts.Expired == TimeoutReason.BodyRead)
        {
            RequestRejection.Throw(RequestRejectionReason.BodyDataRateTooLow);
            return 0;
        }
        finally
        {
            _timeouts.StopReading(Environment.TickCount64, received);
            linked?.Dispose();
        }
    }

    /// <summary>
    /// The blocking form of <see cref="WaitAsync"/>: polls the socket so that an expired timer ends
    /// the wait. Through TLS it reads only into the connection's buffer (never straight into the
    /// caller's span), since a blocking stream read can be cancelled only as an async read.
    /// </summary>
    private int Wait(Span<byte> direct)
    {
        int received = 0;
        _timeouts.StartReading(Environment.TickCount64);
        // Past a brief look, this thread waits for the client, not for work: it leaves the pool's
        // count meanwhile. The look spares a fast upload's many short waits the resizing.
        bool waitCounted = (_input.IsStream || !_input.Poll(BriefPollMicroseconds)) && ThreadPoolBudget.BeginClientWait();
        try
        {
            while (!_input.Poll(SyncPollMicroseconds))
            {
                ThrowIfExpired();
            }

            // A stream (TLS) is never polled: its read blocks, and the timeout's token ends it.
            received = direct.IsEmpty ? _input.Fill(0, _timeouts.Token) : _input.ReceiveDirect(direct);
            return received;
        }
        catch (OperationCanceledException) when (_timeouts.Expired == TimeoutReason.BodyRead)
        {
            RequestRejection.Throw(RequestRejectionReason.BodyDataRateTooLow);
            return 0;
        }
        finally
        {
            ThreadPoolBudget.EndClientWait(waitCounted);
            _timeouts.StopReading(Environment.TickCount64, received);
        }
    }

    private void ThrowIfExpired()
    {
        if (_timeouts.Expired == TimeoutReason.BodyRead)
        {
            RequestRejection.Throw(RequestRejectionReason.BodyDataRateTooLow);
        }
    }

    private int TakeBuffered(Span<byte> destination)
    {
        if (_framing == BodyFraming.ContentLength)
        {
            int copied = _input.CopyTo(destination, (int)Math.Min(_remaining, int.MaxValue));
            _remaining -= copied;
            IsComplete = _remaining == 0;
            return copied;
        }

        ReadOnlySpan<byte> buffered = _input.Buffered;
        ByteRange data = _chunked!.Decode(buffered, destination.Length, out int consumed);
        buffered.Slice(data.Start, data.Length).CopyTo(destination);
        _input.Consume(consumed);
        IsComplete = _chunked!.IsComplete;
        return data.Length;
    }

    private int Received(int received)
    {
        if (received == 0)
        {
            RequestRejection.Throw(RequestRejectionReason.UnexpectedEndOfBody);
        }

        _remaining -= received;
        IsComplete = _remaining == 0;
        return received;
    }
}
