namespace GatewayServer.Control;

/// <summary>One metric as exposed: its Prometheus name, type, unit and help text, and the System.Diagnostics.Metrics name it comes from.</summary>
/// <param name="Name">The Prometheus name, e.g. <c>http_server_request_duration_seconds</c>.</param>
/// <param name="Kind">Counter, gauge or histogram.</param>
/// <param name="Unit">The unit, e.g. <c>s</c>, <c>By</c>, <c>{request}</c>.</param>
/// <param name="Labels">The labels besides <c>worker</c>, comma-separated (documentation).</param>
/// <param name="Help">One line for the <c># HELP</c> comment.</param>
/// <param name="InstrumentName">The instrument's name in the worker's <c>GatewayServer</c> meter; null for the master's own metrics.</param>
public sealed record MetricFamily(string Name, MetricKind Kind, string Unit, string Labels, string Help, string? InstrumentName = null)
{
    /// <summary>Whether each worker reports it (with a <c>worker</c> label), as opposed to the master.</summary>
    public bool PerWorker => InstrumentName is not null;

    /// <summary>
    /// How many of the integers a worker reports make one <see cref="Unit"/>: reports carry
    /// integers, so a time in seconds travels as microseconds (1,000,000) and is divided back when exposed.
    /// </summary>
    public long WireUnitsPerUnit { get; init; } = 1;
}
