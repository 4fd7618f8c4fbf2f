using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace GatewayServer.Master;

/// <summary>
/// Which executable a worker is. A published gwserve is a NativeAOT master, which cannot load
/// apps: its workers are <c>gwserve-worker</c>, the JIT-capable (ReadyToRun) executable published
/// beside it. A development build (<c>dotnet build</c>) has no such file, and its JIT master
/// starts itself as the worker.
/// </summary>
public static class WorkerExecutable
{
    /// <summary>The worker executable's file name, beside gwserve's.</summary>
    public const string FileName = "gwserve-worker";

    private static string Sibling => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>
    /// Why no worker can be started (a published gwserve copied without <c>gwserve-worker</c>), in
    /// one line; null when workers can start. Checked before the master binds anything.
    /// </summary>
    public static string? Problem =>
        RuntimeFeature.IsDynamicCodeSupported || File.Exists(Sibling)
            ? null
            : $"{Sibling} is missing: a published gwserve starts its workers from it (publish src/GatewayServer.Cli, which puts both in one folder)";

    /// <summary>How to start a worker process.</summary>
    public static ProcessStartInfo StartInfo()
    {
        // Looked up at every start: after a deployment replaced the files, new workers are the new build.
        string sibling = Sibling;
        if (File.Exists(sibling))
        {
            return new ProcessStartInfo(sibling) { UseShellExecute = false };
        }

        if (Problem is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return CurrentExecutable.StartInfo();
    }
}
