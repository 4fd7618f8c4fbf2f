namespace GatewayServer.Loading;

/// <summary>
/// A synchronous application made of a delegate: a static method of the <c>Invoke</c> shape, or
/// a property or factory that returned such a <see cref="Func{T1, T2, TResult}"/>.
/// </summary>
internal sealed class DelegateApplication : IGatewayApplication
{
    private readonly Func<IDictionary<string, object?>, StartResponse, IEnumerable<ReadOnlyMemory<byte>>> _invoke;
    private readonly string _description;

    public DelegateApplication(Func<IDictionary<string, object?>, StartResponse, IEnumerable<ReadOnlyMemory<byte>>> invoke, string description)
    {
        _invoke = invoke;
        _description = description;
    }

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse) =>
        _invoke(environ, startResponse);

    public override string ToString() => _description;
}
