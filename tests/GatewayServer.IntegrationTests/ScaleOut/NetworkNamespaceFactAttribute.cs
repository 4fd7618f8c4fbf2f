namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// A fact that builds network namespaces (<c>ip netns add</c>), which only root may do: skipped
/// saying so otherwise, never silently. As root a missing <c>ip</c> or <c>haproxy</c> fails the test.
/// </summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Skip = "needs root: the scale-out tests create network namespaces (ip netns add) for their hosts";
        }
    }
}
