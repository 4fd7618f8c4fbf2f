namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>
/// A configuration file from docs/deploy run by a test as it is documented, with only its paths,
/// addresses and ports replaced. Each replaced text must still be in the doc, so the doc cannot
/// change without the test noticing.
/// </summary>
public static class ConfigSubstitution
{
    public static string Apply(string documented, string docName, IEnumerable<(string From, string To)> substitutions)
    {
        string config = documented;
        foreach ((string from, string to) in substitutions)
        {
            if (!config.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"docs/deploy/{docName} no longer contains \"{from.TrimEnd()}\": update the test that substitutes it");
            }

            config = config.Replace(from, to, StringComparison.Ordinal);
        }

        return config;
    }
}
