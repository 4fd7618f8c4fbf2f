namespace GatewayServer.Loading;

/// <summary>
/// An asynchronous application made of a delegate: a static method of the <c>InvokeAsync</c>
/// shape, or a property or factory that returned such a <see cref="Func{T1, T2, TResult}"/>.
/// </summary>
internal sealed class DelegateAsyncApplication : IAsyncGatewayApplication
{
    private readonly Func<IDictionary<string, object?>, StartResponse, IAsyncEnumerable<ReadOnlyMemory<byte>>> _invoke;
    private readonly string _description;

    public DelegateAsyncApplication(Func<IDictionary<string, object?>, StartResponse, IAsyncEnumerable<ReadOnlyMemory<byte>>> invoke, string description)
    {
        _invoke = invoke;
        _description = description;
    }

    public IAsyncEnumerable<ReadOnlyMemory<byte>> InvokeAsync(IDictionary<string, object?> environ, StartResponse startResponse) =>
        _invoke(environ, startResponse);

    public override string ToString() => _description;
}
