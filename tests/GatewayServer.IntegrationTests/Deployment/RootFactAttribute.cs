namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>A fact that needs root (a PID namespace, switching users), skipped saying so otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Skip = "needs root";
        }
    }
}
