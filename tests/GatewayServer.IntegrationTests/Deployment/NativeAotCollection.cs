namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// The tests of the published (NativeAOT) gwserve. Its publish compiles for a minute or two on
/// both cores: the collection runs alone, so that no timing-sensitive test runs beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeAotCollection
{
    public const string Name = "NativeAOT";
}
