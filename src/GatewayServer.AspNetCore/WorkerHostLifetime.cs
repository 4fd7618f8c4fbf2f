using Microsoft.Extensions.Hosting;

namespace GatewayServer.AspNetCore;

/// <summary>
/// The app's <see cref="IHostLifetime"/> inside a worker, in place of the console lifetime: the
/// worker process owns SIGTERM, SIGINT and SIGQUIT (the master sends them), and stops the app
/// itself with <c>StopApplication</c> when it retires.
/// </summary>
internal sealed class WorkerHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
