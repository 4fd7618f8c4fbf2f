namespace GatewayServer.Tests;

/// <summary>Where the repository is, for tests that check committed files (docs) against the code.</summary>
public static class RepositoryLayout
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GatewayServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root");
    }
}
