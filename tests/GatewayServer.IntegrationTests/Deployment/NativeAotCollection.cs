namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// The tests of gwserve as published and as packed (NativeAOT master): its publish, and the pack of
/// the tool's linux-x64 package, compile for a minute or two on both cores, and restore the
/// projects for a RID: the collection runs alone, so that no timing-sensitive test (and no other
/// build) runs beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeAotCollection
{
    public const string Name = "NativeAOT";
}
