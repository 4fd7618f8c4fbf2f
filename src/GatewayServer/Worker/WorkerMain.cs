namespace GatewayServer.Worker;

/// <summary>
/// What a process the master started runs: a worker, or the one-off app check of
/// <c>--check-config</c>. Both <c>gwserve-worker</c> and a development build's <c>gwserve</c> (a
/// JIT master that starts itself as its workers) enter here.
/// </summary>
public static class WorkerMain
{
    public static Task<int> RunAsync() => WorkerCheck.IsRequested ? WorkerCheck.RunAsync() : WorkerProcess.RunAsync();
}
