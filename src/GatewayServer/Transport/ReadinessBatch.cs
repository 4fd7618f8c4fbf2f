namespace GatewayServer.Transport;

/// <summary>
/// One <c>epoll_wait</c>'s events, claimed one at a time, so that when a loop thread is stuck
/// inside one of them, the thread that takes over the loop can serve the rest.
/// </summary>
internal sealed class ReadinessBatch
{
    public ReadinessBatch(int capacity)
    {
        Events = new byte[capacity * Libc.EpollEventSize];
        Capacity = capacity;
    }

    /// <summary>The raw <c>struct epoll_event</c> array <c>epoll_wait</c> fills.</summary>
    public byte[] Events { get; }

    public int Capacity { get; }

    private int _count;
    private int _next;

    /// <summary>Starts a batch of <paramref name="count"/> events just fetched into <see cref="Events"/>.</summary>
    public void Begin(int count)
    {
        _next = 0;
        Volatile.Write(ref _count, count);
    }

    /// <summary>Claims the next unserved event; false when none is left.</summary>
    public bool TryClaim(out int slot)
    {
        int index = Interlocked.Increment(ref _next) - 1;
        if (index >= Volatile.Read(ref _count))
        {
            slot = 0;
            return false;
        }

        slot = (int)BitConverter.ToUInt32(Events, (index * Libc.EpollEventSize) + Libc.EpollDataOffset);
        return true;
    }
}
