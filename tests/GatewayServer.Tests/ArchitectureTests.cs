using System.Text.RegularExpressions;
using GatewayServer.Tests.LayerSample.Master;

namespace GatewayServer.Tests;

/// <summary>
/// The layers of src/GatewayServer may only depend the way docs/architecture.md says: above all,
/// the master knows nothing of HTTP and the parser knows nothing of processes. The check reads the
/// compiled IL (<see cref="CompiledLayerReferences"/>), so a type named any way the compiler
/// accepts — a short name resolved from an enclosing namespace included — crosses a layer only if
/// the table allows it.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Http"] = [],
        ["Transport"] = [],
        ["Logging"] = ["Http", "Transport"],
        ["Loading"] = [],
        ["Configuration"] = ["Transport", "Logging"],
        ["Control"] = ["Transport", "Configuration"],
        ["Engine"] = ["Http", "Transport", "Logging"],
        ["Gateway"] = ["Engine", "Http", "Transport", "Logging"],
        ["Owin"] = ["Engine", "Http", "Transport"],
        ["Worker"] = ["Engine", "Gateway", "Owin", "Http", "Loading", "Control", "Configuration", "Transport", "Logging"],
        ["Master"] = ["Control", "Configuration", "Transport", "Logging"],
        ["Operations"] = ["Master", "Control", "Configuration", "Transport", "Logging"],
    };

    private static readonly Lazy<CompiledLayerReferences> Server = new(() =>
        CompiledLayerReferences.Read(typeof(GatewayServer.Http.HttpRequestParser).Assembly.Location, "GatewayServer"));

    public static TheoryData<string> Layers => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_depends_only_on_the_layers_below_it(string layer)
    {
        string[] violations = Server.Value.Edges
            .Where(edge => edge.Key.From == layer && !Allowed[layer].Contains(edge.Key.To))
            .Select(edge => $"{layer} uses {edge.Key.To}: {edge.Value}")
            .ToArray();

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Every_compiled_layer_is_declared()
    {
        Server.Value.Edges.Keys.SelectMany(edge => new[] { edge.From, edge.To }).Distinct()
            .Should().BeSubsetOf(Allowed.Keys);
    }

    [Fact]
    public void Every_layer_folder_is_declared()
    {
        string[] folders = Directory.GetDirectories(SourceRoot()).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties")).ToArray()!;
        folders.Should().BeSubsetOf(Allowed.Keys);
    }

    [Fact]
    public void Every_source_file_declares_the_namespace_of_its_folder()
    {
        var strays = new List<string>();
        string root = SourceRoot();
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal))
            {
                continue;
            }

            string expected = relative == "." ? "GatewayServer" : "GatewayServer." + relative.Replace(Path.DirectorySeparatorChar, '.');
            Match declared = NamespaceDeclaration().Match(File.ReadAllText(file));
            if (!declared.Success || declared.Groups[1].Value != expected)
            {
                strays.Add($"{Path.GetRelativePath(root, file)}: {(declared.Success ? declared.Groups[1].Value : "no namespace")}");
            }
        }

        strays.Should().BeEmpty("the folder is the layer, and the check judges a type by its namespace");
    }

    [Fact]
    public void The_table_in_docs_architecture_md_is_the_table_the_check_enforces()
    {
        var documented = new Dictionary<string, string[]>();
        foreach (Match row in DocumentedLayer().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "architecture.md"))))
        {
            string knows = row.Groups[2].Value.Trim();
            documented[row.Groups[1].Value] = knows == "nothing"
                ? []
                : knows.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        documented.Keys.Should().BeEquivalentTo(Allowed.Keys);
        foreach ((string layer, string[] knows) in Allowed)
        {
            documented[layer].Should().BeEquivalentTo(knows, $"docs/architecture.md's row for {layer}");
        }
    }

    [Fact]
    public void The_check_sees_a_type_named_by_its_short_name_across_layers()
    {
        // LayerSample.Master.Supervisor names LayerSample.Http.RequestLine as "Http.RequestLine",
        // resolved from the enclosing namespace: the mistake a source grep for a prefix missed.
        var sample = CompiledLayerReferences.Read(typeof(Supervisor).Assembly.Location, "GatewayServer.Tests.LayerSample");

        sample.Edges.Keys.Should().Contain(("Master", "Http"));
        Server.Value.Edges.Keys.Should().Contain(("Worker", "Engine"), "the worker drives the connection engine");
    }

    private static string SourceRoot() => Path.Combine(RepositoryRoot(), "src", "GatewayServer");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GatewayServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex(@"^namespace ([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\| `(\w+)` \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedLayer();
}
