using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Loading;

public sealed class AppLoadFailureTests
{
    private const int Workers = 2;

    public static TheoryData<string, int, string> Failures => new()
    {
        // target, exit code (docs/app-targets.md), what the one line must name
        { Path.Combine(RepositoryLayout.Root, "DoesNotExist.dll") + ":App", 5, "assembly " + Path.Combine(RepositoryLayout.Root, "DoesNotExist.dll") + " not found" },
        { RepositoryLayout.Fixture("TestApps") + ":NoSuchApp", 7, "\"NoSuchApp\" not found in " + RepositoryLayout.Fixture("TestApps") },
        { RepositoryLayout.Fixture("TestApps") + ":NotAnApp", 9, "TestApps.NotAnApp" },
        { RepositoryLayout.Fixture("TestApps") + ":ThrowingConstructorApp", 4, "InvalidOperationException: the constructor refuses" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Target_that_cannot_load_gives_one_clear_line_a_distinct_exit_code_and_no_respawn_loop(string target, int exitCode, string named)
    {
        using GwserveProcess server = GwserveProcess.Launch([target, "--bind", "127.0.0.1:0", "--workers", Workers.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        int code = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        code.Should().Be(exitCode, "output was:\n{0}", server.Output);
        server.Lines.Count(l => l.Contains("Booting worker with pid: ", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(Workers, "the master must not respawn workers that cannot load the app");
        string[] failures = [.. server.Lines.Where(l => l.Contains("app target \"", StringComparison.Ordinal))];
        failures.Should().NotBeEmpty();
        string message = failures[0][failures[0].IndexOf("app target \"", StringComparison.Ordinal)..];
        message.Should().StartWith($"app target \"{target}\": ").And.Contain(named);
        failures.Should().OnlyContain(l => l.EndsWith(message, StringComparison.Ordinal), "every worker fails the same way");
        server.Lines.Should().NotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "a load failure is one line, not a stack trace");
    }
}
