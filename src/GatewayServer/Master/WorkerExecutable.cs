using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace GatewayServer.Master;

/// <summary>
/// Which executable a worker is. A published gwserve is a NativeAOT master, which cannot load
/// apps: its workers are <c>gwserve-worker</c>, the JIT-capable (ReadyToRun) executable published
/// beside it. A development build (<c>dotnet build</c>) has no such file, and its JIT master
/// starts itself as the worker.
/// </summary>
internal static class WorkerExecutable
{
    /// <summary>The worker executable's file name, beside gwserve's.</summary>
    public const string FileName = "gwserve-worker";

    public static ProcessStartInfo StartInfo()
    {
        // Looked up at every start: after a deployment replaced the files, new workers are the new build.
        string sibling = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(sibling))
        {
            return new ProcessStartInfo(sibling) { UseShellExecute = false };
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new InvalidOperationException($"{sibling} is missing: a published gwserve starts its workers from it");
        }

        return CurrentExecutable.StartInfo();
    }
}
