using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Reload;

/// <summary>
/// <c>--reload</c> against a real build: a throwaway app project is built with <c>dotnet build</c>,
/// served, edited and built again, the way a developer works.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReloadOnChangeTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("gwserve-reload-").FullName;

    [Fact]
    public async Task Rebuilt_app_is_served_within_two_seconds_by_the_same_master_and_a_broken_build_keeps_the_old_one()
    {
        WriteApp("first build");
        await BuildAsync(expectSuccess: true);
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Path.Combine(Output, "ReloadApp.dll") + ":App", 1, "--reload");
        (await GetAsync(server.Port)).Should().Be("first build");

        WriteApp("second build");
        await BuildAsync(expectSuccess: true);
        var sinceBuild = Stopwatch.StartNew();
        string answer = await WaitForAnswerAsync(server.Port, "second build", TimeSpan.FromSeconds(10));
        sinceBuild.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the rebuilt app should be served within 2 s of the build finishing");
        answer.Should().Be("second build");
        server.HasExited.Should().BeFalse();

        File.WriteAllText(Path.Combine(_project, "App.cs"), "this is not C#");
        await BuildAsync(expectSuccess: false);
        WriteApp("third build", constructorThrows: true);
        await BuildAsync(expectSuccess: true);
        await server.WaitForLineAsync(l => l.Contains("Reload failed", StringComparison.Ordinal));

        (await GetAsync(server.Port)).Should().Be("second build", "the old workers keep serving when the new build cannot boot");
        server.HasExited.Should().BeFalse();
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private string Output => Path.Combine(_project, "out");

    private void WriteApp(string message, bool constructorThrows = false)
    {
        string abstractions = Path.Combine(Path.GetDirectoryName(RepositoryLayout.Gwserve)!, "GatewayServer.Abstractions.dll");
        File.WriteAllText(Path.Combine(_project, "ReloadApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <OutputPath>out</OutputPath>
                <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="GatewayServer.Abstractions" HintPath="{abstractions}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_project, "App.cs"), $$"""
            using GatewayServer;

            public sealed class App : IGatewayApplication
            {
                public App()
                {
                    {{(constructorThrows ? "throw new InvalidOperationException(\"broken on purpose\");" : string.Empty)}}
                }

                public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
                {
                    startResponse("200 OK", [new("Content-Type", "text/plain")]);
                    return [System.Text.Encoding.UTF8.GetBytes("{{message}}")];
                }
            }
            """);
    }

    private async Task BuildAsync(bool expectSuccess)
    {
        var info = new ProcessStartInfo("dotnet", ["build", _project, "-nologo", "-v", "q", "-nodeReuse:false", "-p:UseSharedCompilation=false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process build = Process.Start(info)!;
        Task<string> output = build.StandardOutput.ReadToEndAsync();
        await build.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await build.WaitForExitAsync(timeout.Token);
        (build.ExitCode == 0).Should().Be(expectSuccess, await output);
    }

    private static async Task<string> GetAsync(int port)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return (await connection.ReadResponseAsync()).BodyText;
    }

    private static async Task<string> WaitForAnswerAsync(int port, string expected, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        string last = string.Empty;
        while (watch.Elapsed < limit)
        {
            last = await GetAsync(port);
            if (last == expected)
            {
                return last;
            }

            await Task.Delay(50);
        }

        return last;
    }
}
