using System.Globalization;

namespace BenchReport;

/// <summary>One server's section: its command, every figure, and a row per process.</summary>
public static class ServerSection
{
    /// <summary>Writes the section; a server that never answered gets its failure and command only.</summary>
    public static void WriteTo(TextWriter writer, ServerFigures server)
    {
        string status = server["status"] ?? "ok";
        writer.WriteLine($"### {server.Name}");
        writer.WriteLine();
        if (status != "ok" && server["start_ms"] is null)
        {
            writer.WriteLine($"**{status}**");
            if (server["cmd"] is { } command)
            {
                writer.WriteLine();
                writer.WriteLine($"Command: `{command}`");
            }

            writer.WriteLine();
            return;
        }

        writer.WriteLine($"Command: `{server["cmd"]}` (expected: {server["expected"]})");
        writer.WriteLine();
        if (status != "ok")
        {
            writer.WriteLine($"**{status}**");
            writer.WriteLine();
        }

        FigureTable(server).WriteTo(writer);
        WriteProcesses(writer, server);
    }

    private static MarkdownTable FigureTable(ServerFigures server)
    {
        var table = new MarkdownTable("figure", "value")
            .Row("start → first 200 (median)", $"{server["start_ms"]} ms ({StartRange(server)})")
            .Row("keep-alive req/s", Cell.Text(server["ka_rps"]))
            .Row("keep-alive latency p50 / p99", $"{Cell.Text(server["ka_p50"])} / {Cell.Text(server["ka_p99"])} ms")
            .Row("keep-alive errors (socket + non-2xx)", $"{Cell.Text(server["ka_errors"])} of {Cell.Text(server["ka_requests"])}")
            .Row("Connection: close req/s", Cell.Text(server["close_rps"]))
            .Row("Connection: close p99", $"{Cell.Text(server["close_p99"])} ms")
            .Row("Connection: close errors", $"{Cell.Text(server["close_errors"])} of {Cell.Text(server["close_requests"])}")
            .Row("idle PSS, all processes", $"{Cell.Mib(server.Number("idle_pss_total"))} MiB")
            .Row("peak PSS under load, all processes", $"{Cell.Mib(server.Number("load_pss_total"))} MiB");
        if (server["listening_line"] is { } listening)
        {
            table.Row("`Listening at:` line on stderr", listening);
        }

        return table;
    }

    private static string StartRange(ServerFigures server) =>
        server.Number("start_count") is > 1
            ? $"{server["start_min"]}–{server["start_max"]} ms over {server["start_count"]} starts"
            : "one start";

    // Per process: idle and peak memory, and for workers their share of connections (or of requests,
    // when bench/run could count them).
    private static void WriteProcesses(TextWriter writer, ServerFigures server)
    {
        bool requests = server.HasProcessFigure("req_share");
        string shareFigure = requests ? "req_share" : "conn_share";
        IReadOnlyList<string> pids = server.Pids;
        double shareTotal = pids.Sum(pid => server.ProcessNumber(shareFigure, pid) ?? 0);
        var table = new MarkdownTable(
            "process", "pid", "idle RSS MiB", "idle PSS MiB", "load peak RSS MiB", "load peak PSS MiB",
            $"{(requests ? "requests" : "connections")} share");
        for (int i = 0; i < pids.Count; i++)
        {
            string pid = pids[i];
            string label = pids.Count == 1 ? "process" : i == 0 ? "master" : $"worker {i}";
            string share = pids.Count > 1 && i > 0 ? Share(server.ForProcess(shareFigure, pid), shareTotal) : "";
            table.Row(
                label,
                pid,
                Cell.Mib(server.ProcessNumber("idle_rss", pid)),
                Cell.Mib(server.ProcessNumber("idle_pss", pid)),
                Cell.Mib(server.ProcessNumber("load_rss", pid)),
                Cell.Mib(server.ProcessNumber("load_pss", pid)),
                share);
        }

        table.WriteTo(writer);
        if (pids.Count <= 1)
        {
            return;
        }

        if (requests)
        {
            writer.WriteLine("Request share: requests each worker served during the keep-alive run.");
        }
        else
        {
            string sync = server.Name == "gunicorn-sync"
                ? " Sync workers close every connection after one response, so few are ever established at a sample."
                : "";
            writer.WriteLine("Connection share: mean established connections per worker over the sampled keep-alive run's");
            writer.WriteLine($"samples (`ss`), not requests.{sync}");
        }

        writer.WriteLine();
    }

    // "50% (25.6)": the worker's share of all, and its own figure as recorded.
    private static string Share(string? value, double total)
    {
        if (total == 0)
        {
            return Cell.Missing;
        }

        string own = value ?? "0";
        double share = 100 * double.Parse(own, CultureInfo.InvariantCulture) / total;
        return $"{Cell.Number(share, "F0")}% ({own})";
    }
}
