using System.Collections.Concurrent;

namespace StreamingApp;

/// <summary>
/// Named signals between requests of one worker: an event stream waits on its channel, and a
/// request to <c>/events/next</c> releases its next event. (Run one worker to use them: they live
/// in the worker's memory.)
/// </summary>
internal sealed class EventChannels
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _channels = new(StringComparer.Ordinal);

    public SemaphoreSlim Open(string channel) => _channels.GetOrAdd(channel, _ => new SemaphoreSlim(0));

    /// <summary>Lets the stream on <paramref name="channel"/> produce its next event; false when no stream is open there.</summary>
    public bool Release(string channel)
    {
        if (!_channels.TryGetValue(channel, out SemaphoreSlim? signal))
        {
            return false;
        }

        signal.Release();
        return true;
    }

    public void Close(string channel)
    {
        if (_channels.TryRemove(channel, out SemaphoreSlim? signal))
        {
            signal.Dispose();
        }
    }
}
