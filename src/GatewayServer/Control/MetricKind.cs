namespace GatewayServer.Control;

/// <summary>The Prometheus type of a metric family.</summary>
public enum MetricKind
{
    /// <summary>Only goes up (while its process lives); folded into the pool's retired total when a worker exits.</summary>
    Counter,

    /// <summary>A value now; dropped with the worker that reported it.</summary>
    Gauge,

    /// <summary>Bucket counts and a sum; folded like a counter.</summary>
    Histogram,
}
