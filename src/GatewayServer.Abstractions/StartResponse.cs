namespace GatewayServer;

/// <summary>
/// Sets the response status and headers, like WSGI's <c>start_response</c>.
/// </summary>
/// <param name="status">A three-digit code, a space and a reason phrase, e.g. <c>"200 OK"</c>.</param>
/// <param name="headers">
/// The response headers. Hop-by-hop headers (<c>Connection</c>, <c>Keep-Alive</c>,
/// <c>Transfer-Encoding</c>, <c>Upgrade</c>, ...) belong to the server and are rejected.
/// </param>
/// <param name="error">
/// Set when the application calls again after an error (like WSGI's <c>exc_info</c>): before the
/// head was sent the new status and headers replace the old ones; after, the server rethrows
/// <paramref name="error"/> and closes the connection.
/// </param>
/// <remarks>
/// Nothing goes on the wire until the first non-empty body chunk is ready or the body ends, so an
/// application may still change its mind by calling again with <paramref name="error"/> set.
/// Calling a second time without <paramref name="error"/> is an error.
/// </remarks>
public delegate void StartResponse(
    string status,
    IReadOnlyList<KeyValuePair<string, string>> headers,
    Exception? error = null);
