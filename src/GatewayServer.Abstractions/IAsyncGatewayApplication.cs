namespace GatewayServer;

/// <summary>
/// An asynchronous gateway application: the same rules as <see cref="IGatewayApplication"/>,
/// with an asynchronous body and asynchronous reads of <see cref="EnvironKeys.Input"/>.
/// </summary>
public interface IAsyncGatewayApplication
{
    /// <summary>Handles one request.</summary>
    /// <param name="environ">The request environment; see <see cref="EnvironKeys"/>.</param>
    /// <param name="startResponse">Sets the status line and headers of the response.</param>
    /// <returns>The response body, in chunks. Empty chunks are allowed and skipped.</returns>
    IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse);
}
