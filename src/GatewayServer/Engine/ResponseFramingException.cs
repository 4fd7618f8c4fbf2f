namespace GatewayServer.Engine;

/// <summary>The application's body did not match the Content-Length it declared; the connection closes.</summary>
internal sealed class ResponseFramingException(string message) : InvalidOperationException(message);
