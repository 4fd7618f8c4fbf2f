namespace BenchReport;

/// <summary>
/// What one run of bench/run measured, as it wrote it to its results folder: <c>run.tsv</c> (the
/// run's facts: machine, commit, wrk settings, the servers in the order they ran) and
/// <c>figures.tsv</c> (every figure of every server, and of each of its processes).
/// </summary>
public sealed class RunResults
{
    private readonly Dictionary<string, string> _facts;
    private readonly Dictionary<string, ServerFigures> _servers;

    /// <summary>Creates the results of a run from its facts and its servers' figures.</summary>
    public RunResults(string folder, Dictionary<string, string> facts, IEnumerable<ServerFigures> servers)
    {
        Folder = folder;
        _facts = facts;
        _servers = servers.ToDictionary(server => server.Name);
        var order = Fact("servers")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        Servers = [.. order, .. _servers.Keys.Where(name => !order.Contains(name)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The results folder, where bench/run also keeps the raw wrk output and logs.</summary>
    public string Folder { get; }

    /// <summary>The servers of the run, in the order they ran.</summary>
    public IReadOnlyList<string> Servers { get; }

    /// <summary>Reads <c>run.tsv</c> and <c>figures.tsv</c> from a results folder.</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed.</exception>
    public static RunResults Load(string folder)
    {
        var facts = new Dictionary<string, string>();
        foreach (string[] fact in TsvFile.Read(Path.Combine(folder, "run.tsv"), 2))
        {
            facts[fact[0]] = fact[1];
        }

        var servers = new Dictionary<string, ServerFigures>();
        foreach (string[] figure in TsvFile.Read(Path.Combine(folder, "figures.tsv"), 4))
        {
            string name = figure[0];
            if (!servers.TryGetValue(name, out ServerFigures? server))
            {
                server = new ServerFigures(name);
                servers[name] = server;
            }

            server.Add(figure[1], figure[2], figure[3]);
        }

        return new RunResults(folder, facts, servers.Values);
    }

    /// <summary>A fact of the run (<c>date</c>, <c>commit</c>, <c>duration</c>...), <c>null</c> when not recorded.</summary>
    public string? Fact(string key) => _facts.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    /// <summary>The figures of a server of this run; empty when it did not run.</summary>
    public ServerFigures Server(string name) => _servers.TryGetValue(name, out ServerFigures? server) ? server : new ServerFigures(name);

    /// <summary>Whether the server was part of the run (measured, or reported as failing to start).</summary>
    public bool Ran(string name) => _servers.ContainsKey(name);
}
