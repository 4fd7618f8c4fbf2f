namespace GatewayServer.IntegrationTests.Master;

/// <summary>The master's tests run one at a time: they put real load on a small shared machine.</summary>
[CollectionDefinition(Name)]
public sealed class MasterCollection
{
    public const string Name = "Master";
}
