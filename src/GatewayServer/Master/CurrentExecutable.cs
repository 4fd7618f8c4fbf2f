using System.Diagnostics;

namespace GatewayServer.Master;

/// <summary>How to start this same executable again: for workers, and for the successor master on USR2.</summary>
internal static class CurrentExecutable
{
    /// <summary>The apphost, or <c>dotnet</c> plus the entry assembly when started as <c>dotnet gwserve.dll</c>.</summary>
    public static ProcessStartInfo StartInfo()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var info = new ProcessStartInfo(process) { UseShellExecute = false };
        // A NativeAOT gwserve is its own executable: the check is compiled out there (no entry assembly to find).
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported
            && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location
                ?? throw new InvalidOperationException("cannot find the entry assembly"));
        }

        return info;
    }
}
