using GatewayServer.Cli;
using GatewayServer.Worker;

// A worker is this same executable started by the master; it skips command-line parsing entirely.
if (WorkerProcess.IsWorker)
{
    return await WorkerProcess.RunAsync();
}

// Before anything touches Console or signals: a master started as a background job must still obey SIGINT/SIGQUIT.
GatewayServer.Master.ShutdownSignals.ReclaimIgnored();
if (args.Length > 0 && args[0] == "ctl")
{
    return await ControlCommandLine.RunAsync(args[1..]);
}

return await CommandLine.RunAsync(args);
