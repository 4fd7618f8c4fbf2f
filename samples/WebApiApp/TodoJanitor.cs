namespace WebApiApp;

/// <summary>A hosted service: runs in every worker, and stops when its worker stops.</summary>
public sealed class TodoJanitor(TodoStore store, ILogger<TodoJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Todo janitor started in worker {Pid}", Environment.ProcessId);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                int removed = store.RemoveOlderThan(TimeSpan.FromHours(1));
                logger.LogInformation("Todo janitor removed {Count} old items", removed);
            }
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Todo janitor stopping in worker {Pid}", Environment.ProcessId);
        }
    }
}
