namespace BenchReport;

/// <summary>The whole report, in the order docs/performance.md has always had it.</summary>
public static class Report
{
    /// <summary>Renders the report of a run as Markdown.</summary>
    public static string Render(RunResults run)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        ReportHeader.WriteTo(writer, run);
        writer.WriteLine("## Summary");
        writer.WriteLine();
        SummaryTable.WriteTo(writer, run);
        writer.WriteLine("## gwserve relative to its peers");
        writer.WriteLine();
        writer.WriteLine("gwserve's figure divided by the peer's (same run).");
        writer.WriteLine();
        RatioTable.WriteTo(writer, run);
        if (run.Ran("gwserve"))
        {
            writer.WriteLine("## Against the issues' targets");
            writer.WriteLine();
            TargetsTable.WriteTo(writer, run);
        }

        if (run.Servers.Any(name => name.StartsWith("aspnet-", StringComparison.Ordinal)))
        {
            writer.WriteLine("## An ASP.NET Core app: gwserve against Kestrel (issue 17's targets)");
            writer.WriteLine();
            AspNetSection.WriteTo(writer, run);
        }

        string webSocket = Path.Combine(run.Folder, "websocket.md");
        if (File.Exists(webSocket))
        {
            writer.WriteLine("## WebSocket echo (gwserve against Kestrel, `bench/websocket`)");
            writer.WriteLine();
            writer.WriteLine(File.ReadAllText(webSocket).TrimEnd('\n'));
            writer.WriteLine();
        }

        writer.WriteLine("## Per server");
        writer.WriteLine();
        foreach (string name in run.Servers.Where(name => !name.StartsWith("aspnet-", StringComparison.Ordinal)))
        {
            ServerSection.WriteTo(writer, run.Server(name));
        }

        return writer.ToString();
    }
}
