namespace BenchReport;

/// <summary>One line per server: start time, keep-alive and close req/s, latency, memory.</summary>
public static class SummaryTable
{
    /// <summary>Writes the summary table; a server that did not start shows why in its start column.</summary>
    public static void WriteTo(TextWriter writer, RunResults run)
    {
        var table = new MarkdownTable("server", "start ms", "keep-alive req/s", "p50 ms", "p99 ms", "close req/s", "idle PSS MiB", "load PSS MiB");
        foreach (string name in run.Servers)
        {
            ServerFigures server = run.Server(name);
            if (server["start_ms"] is not { } start)
            {
                table.Row(name, Cell.Text(server["status"]), "", "", "", "", "", "");
                continue;
            }

            table.Row(
                name,
                start,
                Cell.Text(server["ka_rps"]),
                Cell.Text(server["ka_p50"]),
                Cell.Text(server["ka_p99"]),
                Cell.Text(server["close_rps"]),
                Cell.Mib(server.Number("idle_pss_total")),
                Cell.Mib(server.Number("load_pss_total")));
        }

        table.WriteTo(writer);
    }
}
