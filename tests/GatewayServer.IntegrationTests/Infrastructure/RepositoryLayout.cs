namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>Where the built server and samples are: the artifacts layout, same configuration as the tests.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>"release" or "debug", taken from where this test assembly was built.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;

    public static string Gwserve => Path.Combine(Root, "artifacts", "bin", "GatewayServer.Cli", Configuration, "gwserve");

    public static string Sample(string name) => Path.Combine(Root, "artifacts", "bin", name, Configuration, name + ".dll");

    /// <summary>An app assembly of tests/Fixtures (e.g. TestApps), built like the samples.</summary>
    public static string Fixture(string name) => Sample(name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GatewayServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (GatewayServer.sln) above " + AppContext.BaseDirectory);
    }
}
