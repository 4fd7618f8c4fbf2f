using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using GatewayServer;
using Newtonsoft.Json.Linq;
using Serilog;
using Serilog.Core;

namespace DependencyApp;

/// <summary>
/// An app with NuGet dependencies of its own: Newtonsoft.Json, which gwserve does not use, and
/// Serilog 4.2.0, a package gwserve itself uses in another version. Both load from the app's own
/// folder into its load context. <c>GET /</c> answers (through Newtonsoft.Json) which version of
/// each it runs and where it was loaded from, and a message rendered by Serilog.
/// </summary>
public sealed class App : IGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] Headers = [new("Content-Type", "application/json")];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        var sink = new RenderingSink();
        using (Logger logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("Hello {Name} from {Path}", "Serilog", (string)environ[EnvironKeys.PathInfo]!);
        }

        var answer = new JObject
        {
            ["app"] = Describe(typeof(App).Assembly),
            ["newtonsoft"] = Describe(typeof(JObject).Assembly),
            ["serilog"] = Describe(typeof(Log).Assembly),
            ["rendered"] = sink.Rendered,
        };

        startResponse("200 OK", Headers);
        return [Encoding.UTF8.GetBytes(answer.ToString(Newtonsoft.Json.Formatting.None))];
    }

    private static JObject Describe(Assembly assembly) => new()
    {
        ["version"] = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["loadContext"] = AssemblyLoadContext.GetLoadContext(assembly)?.Name,
        ["directory"] = Path.GetDirectoryName(assembly.Location),
    };
}
