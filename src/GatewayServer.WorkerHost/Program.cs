using GatewayServer.Worker;

// gwserve-worker: the worker executable a published gwserve (a NativeAOT master, which cannot load
// apps) starts beside it. It is JIT-capable, compiled ReadyToRun, and loads the apps.
if (!WorkerProcess.IsWorker)
{
    Console.Error.WriteLine("gwserve-worker: error: this is gwserve's worker process, started by gwserve (run gwserve --help)");
    return 2;
}

return await WorkerMain.RunAsync();
