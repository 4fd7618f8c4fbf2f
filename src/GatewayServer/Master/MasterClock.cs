namespace GatewayServer.Master;

/// <summary>The master's notion of now, in milliseconds, from an injected <see cref="TimeProvider"/>.</summary>
public sealed class MasterClock
{
    private readonly TimeProvider _time;

    public MasterClock(TimeProvider time)
    {
        _time = time;
    }

    public TimeProvider Time => _time;

    public long Now => (long)(_time.GetTimestamp() * 1000.0 / _time.TimestampFrequency);
}
