namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>What a running process is made of, from /proc: which executable, which libraries.</summary>
public static class ProcessImage
{
    /// <summary>The .NET runtime's library: mapped by a JIT process, never by a NativeAOT one.</summary>
    public const string Runtime = "libcoreclr.so";

    /// <summary>Every file mapped into the process, one mapping a line.</summary>
    public static string Maps(int pid) => File.ReadAllText($"/proc/{pid}/maps");

    /// <summary>The path of the executable the process runs.</summary>
    public static string Executable(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget ?? string.Empty;
}
