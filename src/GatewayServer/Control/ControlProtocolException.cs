namespace GatewayServer.Control;

/// <summary>
/// The other end of a control channel broke the protocol (a line too long, messages too fast, bytes
/// that are not text): what it sends is not to be believed any more.
/// </summary>
public sealed class ControlProtocolException(string message) : Exception(message);
