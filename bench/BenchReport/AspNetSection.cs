namespace BenchReport;

/// <summary>Issue 17's targets: the same ASP.NET Core app under gwserve (2 workers) and under its own Kestrel.</summary>
public static class AspNetSection
{
    private static readonly (string Label, string Path)[] Endpoints = [("plaintext", "/"), ("json", "/json")];

    /// <summary>Writes one row per endpoint, then memory, start, dispatch and the commands.</summary>
    public static void WriteTo(TextWriter writer, RunResults run)
    {
        ServerFigures gwserve = run.Server("aspnet-gwserve");
        ServerFigures kestrel = run.Server("aspnet-kestrel");
        var table = new MarkdownTable(
            "endpoint", "gwserve req/s", "Kestrel req/s", "ratio (target ≥ 1.25×)", "CPU µs per request, gwserve / Kestrel",
            "gwserve p99 ms", "Kestrel p99 ms", "p99 ≤ Kestrel's");
        foreach (var (label, path) in Endpoints)
        {
            TargetResult p99 = Target.Ratio("p99", gwserve.Number($"{label}_p99"), kestrel.Number($"{label}_p99"), 1, Better.Lower);
            table.Row(
                $"`{path}` ({label})",
                Cell.Text(gwserve[$"{label}_rps"]),
                Cell.Text(kestrel[$"{label}_rps"]),
                Cell.Ratio(gwserve.Number($"{label}_rps"), kestrel.Number($"{label}_rps")),
                $"{Cell.Text(gwserve[$"{label}_cpu_us"])} / {Cell.Text(kestrel[$"{label}_cpu_us"])}",
                Cell.Text(gwserve[$"{label}_p99"]),
                Cell.Text(kestrel[$"{label}_p99"]),
                p99.Verdict);
        }

        table.WriteTo(writer);
        string workerMb = Cell.Megabytes(gwserve.Number("idle_worker_pss")) is { } mb ? Cell.Number(mb, "F1") : Cell.Missing;
        string wrk = $"wrk -t{run.Fact("threads")} -c{run.Fact("connections")} -d{run.Fact("duration")} --latency";
        writer.WriteLine($"- idle worker PSS with the app loaded (largest worker): {workerMb} MB (target ≤ 40 MB); Kestrel's one process: {Cell.Mib(kestrel.Number("idle_pss_total"))} MiB");
        writer.WriteLine($"- first 200 after start (one start): gwserve {Cell.Text(gwserve["start_ms"])} ms, Kestrel {Cell.Text(kestrel["start_ms"])} ms");
        writer.WriteLine($"- a gwserve worker moved to the thread pool (`--app-dispatch auto`): {Cell.Text(gwserve["moved_to_pool"])}");
        if (run.Server("gwserve")["aspnet_mapped"] is { } mapped)
        {
            writer.WriteLine($"- processes of the plain gateway-app gwserve (the `gwserve` row) that map a Microsoft.AspNetCore assembly: {mapped} (expected 0)");
        }

        writer.WriteLine($"- commands: `{Cell.Text(gwserve["cmd"])}`; `{Cell.Text(kestrel["cmd"])}`, each endpoint `{wrk}` after a {run.Fact("aspnet_warmup") ?? run.Fact("warmup")} warm-up");
        writer.WriteLine();
    }
}
