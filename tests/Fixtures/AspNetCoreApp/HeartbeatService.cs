namespace AspNetCoreApp;

/// <summary>A hosted service, started in every worker; it says so, and says when it stops.</summary>
public sealed class HeartbeatService(ILogger<HeartbeatService> logger) : BackgroundService
{
    public static int Started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref Started);
        logger.LogWarning("hosted service started in {Pid}", Environment.ProcessId);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("hosted service stopping in {Pid}", Environment.ProcessId);
        }
    }
}
