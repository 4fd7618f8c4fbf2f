using System.Runtime.Loader;
using System.Text;
using GatewayServer;
using Newtonsoft.Json;

namespace LoadingFixtures;

/// <summary>Uses a NuGet package of its own and reports which load context served it.</summary>
public sealed class DependencyApp : IGatewayApplication
{
    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        startResponse("200 OK", []);
        string context = AssemblyLoadContext.GetLoadContext(typeof(JsonConvert).Assembly)?.Name ?? "none";
        return [Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(new { context }))];
    }
}
