namespace GatewayServer.Tests.Logging;

/// <summary>A clock the test sets: a fixed wall time in a fixed zone, and timestamps in microseconds.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => zone;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => 0;
}
