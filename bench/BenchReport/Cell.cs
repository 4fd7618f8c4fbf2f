using System.Globalization;

namespace BenchReport;

/// <summary>How the report writes a figure in a table cell; <c>n/a</c> for a figure the run lacks.</summary>
public static class Cell
{
    /// <summary>What a cell says for a figure the run did not produce.</summary>
    public const string Missing = "n/a";

    /// <summary>A recorded figure as it is.</summary>
    public static string Text(string? value) => value ?? Missing;

    /// <summary>KiB (as <c>smaps_rollup</c> gives them) in MiB, one decimal.</summary>
    public static string Mib(double? kib) => kib is { } k ? (k / 1024).ToString("F1", CultureInfo.InvariantCulture) : Missing;

    /// <summary>KiB in MB (10^6 bytes, the unit of the memory targets), rounded to one decimal.</summary>
    public static double? Megabytes(double? kib) =>
        kib is { } k ? Math.Round(k * 1024 / 1e6, 1, MidpointRounding.AwayFromZero) : null;

    /// <summary><paramref name="value"/> / <paramref name="peer"/> with two decimals, <c>n/a</c> when either is missing or the peer is zero.</summary>
    public static string Ratio(double? value, double? peer) =>
        value is { } a && peer is { } b && b != 0 ? Times(a / b) : Missing;

    /// <summary>A ratio as the report writes it: <c>1.81×</c>.</summary>
    public static string Times(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "×";

    /// <summary>A number with the given .NET format, invariant culture.</summary>
    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
