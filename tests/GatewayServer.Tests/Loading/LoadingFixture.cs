using System.Reflection;
using System.Text;
using GatewayServer.Loading;

namespace GatewayServer.Tests.Loading;

/// <summary>
/// Where the LoadingFixtures assembly was built, and shortcuts for loading targets from it.
/// The test project only builds it (ReferenceOutputAssembly="false"), so it is found through the
/// artifacts layout: artifacts/bin/LoadingFixtures/&lt;configuration&gt;/.
/// </summary>
internal static class LoadingFixture
{
    public const string AssemblyFileName = "LoadingFixtures.dll";

    public static string Directory { get; } = Path.Combine(
        RepositoryRoot(), "artifacts", "bin", "LoadingFixtures", Configuration().ToLowerInvariant());

    public static string AssemblyPath { get; } = Path.Combine(Directory, AssemblyFileName);

    /// <summary>Parses <paramref name="text"/> relative to the fixture's folder.</summary>
    public static AppTarget Target(string text) => AppTarget.Parse(text, Directory);

    /// <summary>Loads <c>LoadingFixtures.dll:<paramref name="name"/></c>.</summary>
    public static LoadedApplication Load(string name) => AppLoader.Load(Target($"{AssemblyFileName}:{name}"));

    /// <summary>Loading <paramref name="target"/> fails with <paramref name="failure"/> and a one-line message about it.</summary>
    public static AppLoadException LoadFails(string target, AppLoadFailure failure, string? baseDirectory = null)
    {
        Action load = () => AppLoader.Load(AppTarget.Parse(target, baseDirectory ?? Directory));
        AppLoadException e = load.Should().Throw<AppLoadException>().Which;
        e.Failure.Should().Be(failure, because: e.Message);
        e.ExitCode.Should().Be((int)failure);
        e.Message.Should().StartWith($"app target \"{target}\": ").And.NotContainAny("\n", "\r");
        return e;
    }

    /// <summary>Runs one request through the application and returns its body as text.</summary>
    public static async Task<string> BodyAsync(LoadedApplication application)
    {
        var environ = new Dictionary<string, object?>();
        StartResponse startResponse = (_, _, _) => { };
        var body = new StringBuilder();
        if (application.Kind == ApplicationKind.Async)
        {
            await foreach (ReadOnlyMemory<byte> chunk in application.Async!.InvokeAsync(environ, startResponse))
            {
                body.Append(Encoding.UTF8.GetString(chunk.Span));
            }
        }
        else
        {
            foreach (ReadOnlyMemory<byte> chunk in application.Sync!.Invoke(environ, startResponse))
            {
                body.Append(Encoding.UTF8.GetString(chunk.Span));
            }
        }

        return body.ToString();
    }

    private static string Configuration() =>
        typeof(LoadingFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GatewayServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No GatewayServer.sln above {AppContext.BaseDirectory}.");
    }
}
