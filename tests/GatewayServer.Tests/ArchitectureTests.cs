using System.Text.RegularExpressions;

namespace GatewayServer.Tests;

/// <summary>
/// The layers of src/GatewayServer may only depend the way docs/architecture.md says: above all,
/// the master knows nothing of HTTP and the parser knows nothing of processes. The check reads the
/// sources, so a using directive or a fully qualified name that crosses a layer fails it.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Http"] = [],
        ["Transport"] = [],
        ["Logging"] = ["Http", "Transport"],
        ["Loading"] = [],
        ["Configuration"] = ["Transport"],
        ["Control"] = ["Transport", "Configuration"],
        ["Gateway"] = ["Http", "Transport", "Logging"],
        ["Worker"] = ["Gateway", "Http", "Loading", "Control", "Configuration", "Transport", "Logging"],
        ["Master"] = ["Control", "Configuration", "Transport", "Logging"],
        ["Operations"] = ["Master", "Control", "Configuration", "Transport", "Logging"],
    };

    public static TheoryData<string> Layers => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_depends_only_on_the_layers_below_it(string layer)
    {
        string folder = Path.Combine(SourceRoot(), layer);
        Directory.Exists(folder).Should().BeTrue($"layer {layer} should exist");
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            string code = File.ReadAllText(file);
            foreach (Match match in LayerReference().Matches(code))
            {
                string used = match.Groups[1].Value;
                if (used != layer && Allowed.ContainsKey(used) && !Allowed[layer].Contains(used))
                {
                    violations.Add($"{Path.GetFileName(file)} uses {used}");
                }
            }
        }

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Every_layer_folder_is_declared()
    {
        string[] folders = Directory.GetDirectories(SourceRoot()).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties")).ToArray()!;
        folders.Should().BeSubsetOf(Allowed.Keys);
    }

    [Fact]
    public void The_check_sees_a_reference_across_layers()
    {
        LayerReference().Match("using GatewayServer.Http;").Groups[1].Value.Should().Be("Http");
        LayerReference().Match("var x = new GatewayServer.Gateway.HttpConnection(s, c);").Groups[1].Value.Should().Be("Gateway");
    }

    private static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "src", "GatewayServer");
            if (File.Exists(Path.Combine(directory.FullName, "GatewayServer.sln")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex(@"\bGatewayServer\.(\w+)")]
    private static partial Regex LayerReference();
}
