namespace BenchReport;

/// <summary>The line docs/performance.md has after the report: where the rest of the story is.</summary>
public static class DocsFooter
{
    /// <summary>Appended to the report when it is written to the docs (<c>--write-docs</c>).</summary>
    public const string Text =
        "\nTargets, the figures this run does not produce, and what was tried: [performance-analysis.md](performance-analysis.md).\n";
}
