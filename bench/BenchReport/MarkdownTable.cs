namespace BenchReport;

/// <summary>A Markdown table: a header row, the separator, one line per row, then a blank line.</summary>
public sealed class MarkdownTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    /// <summary>Starts a table with these column headings.</summary>
    public MarkdownTable(params string[] header)
    {
        _header = header;
    }

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != _header.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {_header.Length} columns", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table and the blank line after it.</summary>
    public void WriteTo(TextWriter writer)
    {
        WriteLine(writer, _header);
        writer.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", _header.Length)));
        foreach (string[] row in _rows)
        {
            WriteLine(writer, row);
        }

        writer.WriteLine();
    }

    // An empty cell is written "|  |", as the tables bench/run wrote by hand were.
    private static void WriteLine(TextWriter writer, string[] cells) => writer.WriteLine("| " + string.Join(" | ", cells) + " |");
}
