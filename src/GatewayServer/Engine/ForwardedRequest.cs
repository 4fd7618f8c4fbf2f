namespace GatewayServer.Engine;

/// <summary>
/// What trusted proxy headers say about the original request; a null member means the headers say
/// nothing about it (or nothing valid), and the connection's own value stands.
/// </summary>
/// <param name="ClientAddress">The client for <c>REMOTE_ADDR</c>: an IP address, or a token such as <c>unknown</c> a proxy put in its place.</param>
/// <param name="ClientPort">The client's port for <c>REMOTE_PORT</c>, when a proxy gave one.</param>
/// <param name="Scheme"><c>http</c> or <c>https</c>, for <c>gateway.url_scheme</c>.</param>
/// <param name="Host">The host the client asked for, with an optional port, for <c>SERVER_NAME</c>/<c>SERVER_PORT</c>.</param>
/// <param name="Prefix">The path the proxy mounts the application under, for <c>SCRIPT_NAME</c>.</param>
internal readonly record struct ForwardedRequest(string? ClientAddress, string? ClientPort, string? Scheme, string? Host, string? Prefix);
