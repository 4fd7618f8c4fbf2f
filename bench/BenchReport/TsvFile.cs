namespace BenchReport;

/// <summary>
/// Reads the tab-separated files bench/run writes: a header line naming the columns, then one
/// record a line. Values never hold a tab or a newline, so there is no quoting.
/// </summary>
public static class TsvFile
{
    /// <summary>The records of <paramref name="path"/>, each with exactly <paramref name="columns"/> fields.</summary>
    /// <exception cref="InvalidDataException">The file is missing or a line has another number of fields.</exception>
    public static IEnumerable<string[]> Read(string path, int columns)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} does not exist: not a bench/run results folder, or a run that stopped before the report");
        }

        string[] lines = File.ReadAllLines(path);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] fields = lines[i].Split('\t');
            if (fields.Length != columns)
            {
                throw new InvalidDataException($"{path}:{i + 1}: {fields.Length} fields where {columns} were expected");
            }

            yield return fields;
        }
    }
}
