using GatewayServer.Cli;
using GatewayServer.Worker;

// A worker is this same executable started by the master; it skips command-line parsing entirely.
if (WorkerProcess.IsWorker)
{
    return await WorkerProcess.RunAsync();
}

return await CommandLine.RunAsync(args);
