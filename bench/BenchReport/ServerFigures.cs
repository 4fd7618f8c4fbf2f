using System.Globalization;

namespace BenchReport;

/// <summary>
/// The figures bench/run recorded for one server: whole-server figures (<c>ka_rps</c>,
/// <c>start_ms</c>, <c>status</c>...) and per-process ones (<c>idle_pss</c> of a pid...). Values are
/// kept as bench/run wrote them, so the report shows the figures it measured digit for digit.
/// </summary>
public sealed class ServerFigures
{
    private readonly Dictionary<string, string> _figures = [];
    private readonly Dictionary<(string Figure, string Pid), string> _processFigures = [];

    /// <summary>Creates an empty set of figures for a server.</summary>
    public ServerFigures(string name)
    {
        Name = name;
    }

    /// <summary>The server's name in bench/run (<c>gwserve</c>, <c>kestrel</c>...).</summary>
    public string Name { get; }

    /// <summary>The server's processes when it was idle, the master (or its one process) first.</summary>
    public IReadOnlyList<string> IdlePids => this["pids"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>
    /// <see cref="IdlePids"/>, then any process seen only under load (a respawned worker), in pid order.
    /// </summary>
    public IReadOnlyList<string> Pids
    {
        get
        {
            IReadOnlyList<string> idle = IdlePids;
            var underLoad = _processFigures.Keys
                .Where(key => key.Figure == "load_pss" && !idle.Contains(key.Pid))
                .Select(key => key.Pid)
                .OrderBy(pid => long.Parse(pid, CultureInfo.InvariantCulture));
            return [.. idle, .. underLoad];
        }
    }

    /// <summary>A whole-server figure as recorded, <c>null</c> when there is none.</summary>
    public string? this[string figure] => _figures.TryGetValue(figure, out string? value) && value.Length > 0 ? value : null;

    /// <summary>Records a figure; <paramref name="pid"/> is empty for a whole-server figure.</summary>
    public void Add(string figure, string pid, string value)
    {
        if (pid.Length == 0)
        {
            _figures[figure] = value;
        }
        else
        {
            _processFigures[(figure, pid)] = value;
        }
    }

    /// <summary>A whole-server figure as a number, <c>null</c> when there is none.</summary>
    public double? Number(string figure) => Parse(this[figure]);

    /// <summary>A figure of one of the server's processes as recorded, <c>null</c> when there is none.</summary>
    public string? ForProcess(string figure, string pid) =>
        _processFigures.TryGetValue((figure, pid), out string? value) && value.Length > 0 ? value : null;

    /// <summary>A figure of one of the server's processes as a number, <c>null</c> when there is none.</summary>
    public double? ProcessNumber(string figure, string pid) => Parse(ForProcess(figure, pid));

    /// <summary>Whether any process has the figure (<c>req_share</c> is only there when requests were counted).</summary>
    public bool HasProcessFigure(string figure) => _processFigures.Keys.Any(key => key.Figure == figure);

    private static double? Parse(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : null;
}
