using GatewayServer.Transport;

namespace GatewayServer.AspNetCore;

/// <summary>
/// Lets a response's flushes wait for the end of the app's synchronous run, so that a response
/// the app writes, flushes and ends without waiting on anything leaves in one send rather than
/// three (<c>Response.WriteAsync</c> starts the response, writes, then flushes; the last chunk
/// follows when the app returns). Kestrel gets the same from its send loop, which runs apart from
/// the app. A flush asked for on the thread that runs the app's synchronous part (the event loop's)
/// is deferred while little is buffered; when that part ends with the app still running (it waits
/// on I/O, a timer, the request body), what was deferred is sent at once.
/// <para>
/// The app may by then go on on another thread, which must not touch the connection's output
/// while the deferred bytes are being sent: every write of the response from a thread other than
/// the synchronous part's first <see cref="TakeAsync">takes</see> the output, which either adopts
/// the deferred bytes (its own send carries them) or waits for their send to end.
/// </para>
/// </summary>
internal sealed class DeferredSend
{
    private const int Idle = 0;
    private const int Pending = 1;
    private const int Sending = 2;

    private int _state;
    private int _synchronousThread;
    private TaskCompletionSource? _sent;

    /// <summary>The app's request delegate is about to run on this thread.</summary>
    public void BeginSynchronousPart() => Volatile.Write(ref _synchronousThread, Environment.CurrentManagedThreadId);

    /// <summary>The request delegate has returned (done, or waiting on something).</summary>
    public void EndSynchronousPart() => Volatile.Write(ref _synchronousThread, 0);

    private bool InSynchronousPart => Environment.CurrentManagedThreadId == Volatile.Read(ref _synchronousThread);

    /// <summary>Whether a flush asked for now may wait: in the app's synchronous part, with less than a batch buffered.</summary>
    public bool TryDefer(ConnectionOutput output)
    {
        if (!InSynchronousPart || output.IsBatchFull)
        {
            return false;
        }

        Volatile.Write(ref _state, Pending);
        return true;
    }

    /// <summary>Makes the output this thread's to write: a no-op in the synchronous part and when nothing was deferred.</summary>
    public ValueTask TakeAsync()
    {
        if (Volatile.Read(ref _state) == Idle || InSynchronousPart)
        {
            return default;
        }

        return Interlocked.CompareExchange(ref _state, Idle, Pending) == Pending ? default : WaitAsync();
    }

    /// <summary>
    /// Claims the deferred bytes for sending by the thread whose synchronous part just ended with
    /// the app still running; false when nothing is deferred or another thread took them.
    /// </summary>
    public bool TryBeginSending(out TaskCompletionSource sent)
    {
        sent = null!;
        if (Volatile.Read(ref _state) != Pending)
        {
            return false;
        }

        // Published before the claim, so that a thread that sees Sending finds it to wait on.
        sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _sent, sent);
        return Interlocked.CompareExchange(ref _state, Sending, Pending) == Pending;
    }

    /// <summary>The deferred bytes are sent (or failed to be): other threads may write again.</summary>
    public void EndSending(TaskCompletionSource sent)
    {
        Volatile.Write(ref _state, Idle);
        sent.TrySetResult();
    }

    /// <summary>The request is over: what is still deferred leaves with the connection's next flush.</summary>
    public void Reset() => Volatile.Write(ref _state, Idle);

    private async ValueTask WaitAsync()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Idle || (state == Pending && Interlocked.CompareExchange(ref _state, Idle, Pending) == Pending))
            {
                return;
            }

            await Volatile.Read(ref _sent)!.Task.ConfigureAwait(false);
        }
    }
}
