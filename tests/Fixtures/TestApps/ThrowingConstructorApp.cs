using GatewayServer;

namespace TestApps;

/// <summary>An app whose constructor throws: loading it must fail with exit code 4.</summary>
public sealed class ThrowingConstructorApp : IGatewayApplication
{
    public const string Message = "the constructor refuses";

    public ThrowingConstructorApp()
    {
        throw new InvalidOperationException(Message);
    }

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse) =>
        throw new NotSupportedException();
}
