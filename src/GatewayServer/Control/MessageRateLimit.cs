namespace GatewayServer.Control;

/// <summary>
/// A token bucket: up to <c>burst</c> messages at once, refilled at <c>perSecond</c>. The master
/// reads every worker's reports on its one loop, so a worker sending without pause must be stopped,
/// not queued.
/// </summary>
public sealed class MessageRateLimit
{
    private readonly int _burst;
    private readonly int _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public MessageRateLimit(int burst, int perSecond, TimeProvider time)
    {
        _burst = burst;
        _perSecond = perSecond;
        _time = time;
        _tokens = burst;
        _refilledAt = time.GetTimestamp();
    }

    public int Burst => _burst;

    public int PerSecond => _perSecond;

    /// <summary>Takes one message's token; false when the sender is over the rate.</summary>
    public bool TryTake()
    {
        long now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
