namespace GatewayServer.Master;

/// <summary>Where a worker is in its life, as the master sees it.</summary>
public enum WorkerPhase
{
    /// <summary>Started; has not yet said it is ready.</summary>
    Booting,

    /// <summary>Loaded the app and accepting connections.</summary>
    Ready,

    /// <summary>Asked to stop (or stopping on its own); finishing its requests.</summary>
    Stopping,
}
