using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.AspNetCore;

/// <summary>
/// The fixture ASP.NET Core app (tests/Fixtures/AspNetCoreApp) served unmodified by the real gwserve
/// with 2 workers, from its build folder as its content root (as `dotnet AspNetCoreApp.dll` would be
/// run from there). Started once for a test class: an ASP.NET Core app takes seconds to boot.
/// </summary>
public sealed class AspNetCoreAppServer : IAsyncLifetime
{
    /// <summary>How long 2 workers may take to start the app.</summary>
    public static readonly TimeSpan BootWait = TimeSpan.FromSeconds(90);

    public static string Assembly => RepositoryLayout.Fixture("AspNetCoreApp");

    public static string ContentRoot => Path.GetDirectoryName(Assembly)!;

    public GwserveProcess Server { get; private set; } = null!;

    public int Port => Server.Port;

    /// <summary>Starts gwserve on the fixture app with <paramref name="workers"/> workers and waits until all are ready.</summary>
    public static async Task<GwserveProcess> StartAsync(int workers, params string[] options)
    {
        // A 10 s graceful timeout unless the test sets its own (gwserve refuses an option given twice).
        string[] graceful = options.Contains("--graceful-timeout") ? [] : ["--graceful-timeout", "10"];
        GwserveProcess server = await GwserveProcess.StartAsync(Assembly, ["--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chdir", ContentRoot, .. graceful, "--timeout", "120", .. options]);
        try
        {
            // An ASP.NET Core app compiles much of the framework as it starts: on a loaded machine that takes a while.
            await server.WaitForReadyWorkersAsync(workers, BootWait);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    // The prefix is believed only when named (a proxy that sets it must also clear the client's).
    public async Task InitializeAsync() => Server = await StartAsync(2, "--forwarded-headers", "x-forwarded-for,x-forwarded-proto,x-forwarded-host,x-forwarded-prefix");

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}
