namespace GatewayServer.Master;

/// <summary>One listening socket's accept queue: its address, <c>--reuse-port</c> slot, length and limit.</summary>
public sealed record ListenQueueSample(string Listener, int Slot, long Queued, long Limit);
