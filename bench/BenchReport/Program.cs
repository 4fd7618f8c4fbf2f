// bench/run's report, rendered from the figures one run wrote (bench/README.md):
//   BenchReport RESULTS_DIR [--write-docs FILE]
// prints the report, writes it to RESULTS_DIR/performance.md and, with --write-docs, to FILE too
// (bench/run passes BENCH_REPORT, e.g. docs/performance.md). Exit status 2 on bad arguments or a
// results folder without figures.
using BenchReport;

const string Usage = "usage: BenchReport RESULTS_DIR [--write-docs FILE]";

string? folder = null;
string? docs = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        case "--write-docs" when i + 1 < args.Length:
            docs = args[++i];
            break;
        case "--write-docs":
            Console.Error.WriteLine("BenchReport: --write-docs needs a file");
            return 2;
        case var arg when arg.StartsWith('-'):
            Console.Error.WriteLine($"BenchReport: unknown option '{arg}'");
            return 2;
        case var arg when folder is null:
            folder = arg;
            break;
        default:
            Console.Error.WriteLine($"BenchReport: one results folder only ('{args[i]}' is a second)");
            return 2;
    }
}

if (folder is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

RunResults run;
try
{
    run = RunResults.Load(folder);
}
catch (InvalidDataException error)
{
    Console.Error.WriteLine($"BenchReport: {error.Message}");
    return 2;
}

string report = Report.Render(run);
Console.Write(report);
File.WriteAllText(Path.Combine(folder, "performance.md"), report);
if (docs is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(docs))!);
    File.WriteAllText(docs, report + DocsFooter.Text);
    Console.Error.WriteLine($"[bench] report written to {docs}");
}

return 0;
