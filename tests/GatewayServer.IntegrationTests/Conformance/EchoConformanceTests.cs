namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>The RFC 9112 table against one EchoApp server with default settings.</summary>
public sealed class EchoConformanceTests(EchoServerFixture server) : IClassFixture<EchoServerFixture>
{
    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public Task Request_is_answered_as_RFC_9112_requires(string name) =>
        ConformanceRunner.RunAllWaysAsync(server.Port, ConformanceCases.All.Single(c => c.Name == name));
}
