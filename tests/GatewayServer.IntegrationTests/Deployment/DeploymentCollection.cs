namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>Deployment tests start whole servers under real tools; one at a time on a small shared machine.</summary>
[CollectionDefinition(Name)]
public sealed class DeploymentCollection
{
    public const string Name = "Deployment";
}
