namespace GatewayServer.Tests.LayerSample.Master
{
    /// <summary>
    /// A deliberate layering mistake for <see cref="ArchitectureTests"/> to find: a "master" type
    /// that names an "HTTP" type by a short name C# resolves from the enclosing namespace.
    /// </summary>
    public sealed class Supervisor
    {
        public int LengthOf(string line) => new Http.RequestLine(line).Length;
    }
}

namespace GatewayServer.Tests.LayerSample.Http
{
    /// <summary>The "HTTP" side of <see cref="Master.Supervisor"/>'s mistake.</summary>
    public readonly record struct RequestLine(string Text)
    {
        public int Length => Text.Length;
    }
}
