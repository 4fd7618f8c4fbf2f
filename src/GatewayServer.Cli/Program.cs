using System.Runtime.CompilerServices;
using GatewayServer.Cli;
using GatewayServer.Worker;

// A development build's master starts workers from this same executable, which then skips
// command-line parsing entirely. A published gwserve is compiled ahead of time (no JIT, so no
// apps): this branch is compiled out, and its workers are gwserve-worker (Master/WorkerExecutable).
if (RuntimeFeature.IsDynamicCodeSupported && WorkerProcess.IsWorker)
{
    return await WorkerMain.RunAsync();
}

// Before anything touches Console or signals: a master started as a background job or under nohup must still obey its signals.
GatewayServer.Master.IgnoredSignals.Reclaim();
if (args.Length > 0 && args[0] == "ctl")
{
    return await ControlCommandLine.RunAsync(args[1..]);
}

return await CommandLine.RunAsync(args);
