namespace BenchReport;

/// <summary>gwserve's figures divided by each peer's from the same run.</summary>
public static class RatioTable
{
    private static readonly string[] Peers = ["kestrel", "gunicorn-sync", "gunicorn-gthread"];

    private static readonly (string Label, string Figure, Better Better)[] Figures =
    [
        ("keep-alive req/s", "ka_rps", Better.Higher),
        ("Connection: close req/s", "close_rps", Better.Higher),
        ("keep-alive p99", "ka_p99", Better.Lower),
        ("start → first 200", "start_ms", Better.Lower),
        ("idle PSS, all processes", "idle_pss_total", Better.Lower),
        ("peak PSS under load", "load_pss_total", Better.Lower),
    ];

    /// <summary>Writes one row per figure, one column per peer.</summary>
    public static void WriteTo(TextWriter writer, RunResults run)
    {
        ServerFigures gwserve = run.Server("gwserve");
        var table = new MarkdownTable(["gwserve / peer", "better when", .. Peers]);
        foreach (var (label, figure, better) in Figures)
        {
            string[] ratios = [.. Peers.Select(peer => Cell.Ratio(gwserve.Number(figure), run.Server(peer).Number(figure)))];
            table.Row([label, better == Better.Higher ? "higher" : "lower", .. ratios]);
        }

        table.WriteTo(writer);
    }
}
