namespace GatewayServer;

/// <summary>
/// A synchronous gateway application: the .NET counterpart of a WSGI callable.
/// </summary>
/// <remarks>
/// The server calls <see cref="Invoke"/> once per request. The application calls
/// the <c>startResponse</c> delegate (before it yields its first body chunk) and returns the
/// body as a sequence of byte chunks. When the returned sequence or its enumerator is
/// <see cref="IDisposable"/>, the server disposes it once the response is done or aborted.
/// </remarks>
public interface IGatewayApplication
{
    /// <summary>Handles one request.</summary>
    /// <param name="environ">The request environment; see <see cref="EnvironKeys"/>.</param>
    /// <param name="startResponse">Sets the status line and headers of the response.</param>
    /// <returns>The response body, in chunks. Empty chunks are allowed and skipped.</returns>
    IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse);
}
