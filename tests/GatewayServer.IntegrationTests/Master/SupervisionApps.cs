using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

/// <summary>Targets in tests/Fixtures/SupervisionApps and a small GET helper.</summary>
public static class SupervisionApps
{
    public static string Dll => RepositoryLayout.Sample("SupervisionApps");

    public static string App => Dll + ":App";

    public static string FlakyBoot => Dll + ":FlakyBootApp";

    public static string ControlChannelAttack => Dll + ":ControlChannelAttackApp";

    public static readonly string Hello = RepositoryLayout.Sample("HelloApp") + ":App";

    public static async Task<RawResponse> GetAsync(int port, string path, TimeSpan? timeout = null)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return await connection.ReadResponseAsync(timeout: timeout);
    }
}
