namespace GatewayServer.Transport;

/// <summary>Where a <see cref="ReadinessLoop"/> runs the connections it wakes (the <c>--app-dispatch</c> setting).</summary>
internal enum LoopDispatch
{
    /// <summary>On the loop's thread until something run there blocks it, then on the thread pool.</summary>
    Auto,

    /// <summary>Always on the loop's thread.</summary>
    Loop,

    /// <summary>Always on the thread pool.</summary>
    Pool,
}
