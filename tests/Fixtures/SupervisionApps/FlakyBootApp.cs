using System.Text;
using GatewayServer;

namespace SupervisionApps;

/// <summary>Fails to load while the file named by <c>SUPERVISION_FAIL_BOOT</c> exists; otherwise says hello.</summary>
public sealed class FlakyBootApp : IGatewayApplication
{
    public const string FailBootVariable = "SUPERVISION_FAIL_BOOT";

    private static readonly KeyValuePair<string, string>[] Headers = [new("Content-Type", "text/plain")];

    public FlakyBootApp()
    {
        if (Environment.GetEnvironmentVariable(FailBootVariable) is { Length: > 0 } path && File.Exists(path))
        {
            throw new InvalidOperationException($"boot failure requested by {path}");
        }
    }

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        startResponse("200 OK", Headers);
        return [Encoding.ASCII.GetBytes("hello\n")];
    }
}
