namespace GatewayServer;

/// <summary>
/// Switches the connection to another protocol, found in the environ under
/// <see cref="EnvironKeys.Upgrade"/> on requests that may upgrade (HTTP/1.1 with
/// <c>Connection: upgrade</c>, an <c>Upgrade</c> header, and no body). The application first calls
/// <c>startResponse("101 Switching Protocols", ...)</c> with an <c>Upgrade</c> header naming the
/// protocol (the one response where <c>Upgrade</c> is the application's), then this delegate: the
/// 101 head is sent and the connection is returned as one duplex stream, starting with any bytes
/// the client sent right behind its request.
/// </summary>
/// <returns>
/// The connection: asynchronous reads and writes only (a blocking call would hold the worker's
/// event loop). It stays open after the application returns its body (which must be empty), so
/// the application may hand it to a task of its own; disposing it closes the connection. The
/// server closes it too when the worker stops and its graceful timeout runs out.
/// </returns>
public delegate Stream ProtocolUpgrade();
