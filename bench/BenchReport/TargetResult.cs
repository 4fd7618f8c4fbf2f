namespace BenchReport;

/// <summary>One row of the targets table: the target, what this run measured, and whether it is met.</summary>
/// <param name="Label">The target as the issue states it.</param>
/// <param name="Measured">The figure this run produced (<c>1.81×</c>, <c>477 ms</c>), or <c>n/a</c>.</param>
/// <param name="Met">Whether the target is met; <c>null</c> when the run lacks a figure to judge it by.</param>
public sealed record TargetResult(string Label, string Measured, bool? Met)
{
    /// <summary>The verdict as the table writes it: yes, no or n/a.</summary>
    public string Verdict => Met switch
    {
        true => "yes",
        false => "no",
        null => Cell.Missing,
    };
}
