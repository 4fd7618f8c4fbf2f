namespace BenchReport;

/// <summary>
/// The issues' targets this run measures, each with its figure and verdict. Parsing and 10,000 idle
/// connections come from bench/GatewayServer.Benchmarks and bench/scale
/// (docs/performance-analysis.md has all of them).
/// </summary>
public static class TargetsTable
{
    /// <summary>Judges every target against the run's figures.</summary>
    public static IReadOnlyList<TargetResult> Judge(RunResults run)
    {
        ServerFigures gwserve = run.Server("gwserve");
        ServerFigures kestrel = run.Server("kestrel");
        ServerFigures gunicornSync = run.Server("gunicorn-sync");
        double? keepAlive = gwserve.Number("ka_rps");
        double? start = gwserve.Number("start_ms");
        double? masterMb = Cell.Megabytes(MasterPss(gwserve));
        double? workerMb = Cell.Megabytes(LargestWorkerPss(gwserve));
        return
        [
            // Issue 5.
            Target.Ratio("keep-alive req/s ≥ 1.25× Kestrel", keepAlive, kestrel.Number("ka_rps"), 1.25, Better.Higher),
            Target.Ratio("keep-alive req/s ≥ 5× Gunicorn sync", keepAlive, gunicornSync.Number("ka_rps"), 5, Better.Higher),
            Target.Ratio("keep-alive p99 ≤ Kestrel's", gwserve.Number("ka_p99"), kestrel.Number("ka_p99"), 1, Better.Lower),
            Target.Ratio("Connection: close req/s ≥ 1.0× Kestrel", gwserve.Number("close_rps"), kestrel.Number("close_rps"), 1, Better.Higher),
            Target.Ratio("metrics cost ≤ 3 %: keep-alive req/s without ≤ 1.03× with --metrics-bind", keepAlive, run.Server("gwserve-metrics").Number("ka_rps"), 1.03, Better.Lower),
            Target.AtMost("first 200 ≤ 200 ms after start (median)", start, 200, "ms", "0"),
            Target.AtMost("idle worker PSS ≤ 25 MB (largest worker)", workerMb, 25, "MB", "F1"),
            Target.AtMost("master PSS ≤ 20 MB", masterMb, 20, "MB", "F1"),

            // Issue 21: a NativeAOT master, and workers whose start overlaps it.
            Target.Ratio("first 200 ≤ 0.4× Gunicorn sync's (median)", start, gunicornSync.Number("start_ms"), 0.4, Better.Lower),
            Target.AtMost("master PSS ≤ 8 MB (NativeAOT)", masterMb, 8, "MB", "F1"),
            Target.AtMost("idle worker PSS not above 18 MB (largest worker)", workerMb, 18, "MB", "F1"),

            // Issue 16: OWIN built straight on the connection engine; the gateway contract no slower for it.
            Target.Ratio("OWIN hello world keep-alive req/s ≥ 0.9× the gateway hello world's (gwserve-owin / gwserve)", run.Server("gwserve-owin").Number("ka_rps"), keepAlive, 0.9, Better.Higher),
            Target.Ratio("keep-alive req/s ≥ 1.6× Kestrel", keepAlive, kestrel.Number("ka_rps"), 1.6, Better.Higher),
        ];
    }

    /// <summary>Writes the targets table and where the unmet ones are discussed.</summary>
    public static void WriteTo(TextWriter writer, RunResults run)
    {
        var table = new MarkdownTable("target", "this run", "met");
        foreach (TargetResult result in Judge(run))
        {
            table.Row(result.Label, result.Measured, result.Verdict);
        }

        table.WriteTo(writer);
        writer.WriteLine("How far off each unmet target is, what was tried and what the profile shows is left:");
        writer.WriteLine("[performance-analysis.md](performance-analysis.md).");
        writer.WriteLine();
    }

    // The master is the first of the idle pids; with one process there is no master to judge.
    private static double? MasterPss(ServerFigures gwserve)
    {
        IReadOnlyList<string> pids = gwserve.IdlePids;
        return pids.Count > 1 ? gwserve.ProcessNumber("idle_pss", pids[0]) ?? 0 : null;
    }

    private static double? LargestWorkerPss(ServerFigures gwserve)
    {
        IReadOnlyList<string> pids = gwserve.IdlePids;
        return pids.Count > 1 ? pids.Skip(1).Max(pid => gwserve.ProcessNumber("idle_pss", pid) ?? 0) : null;
    }
}
