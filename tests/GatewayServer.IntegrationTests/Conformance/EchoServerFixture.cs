using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>One gwserve running EchoApp for a whole test class; killed by pid when the class is done.</summary>
public class EchoServerFixture : IAsyncLifetime
{
    private GwserveProcess? _server;

    public int Port => _server!.Port;

    public GwserveProcess Server => _server!;

    protected virtual string[] Options => [];

    public async Task InitializeAsync() =>
        _server = await GwserveProcess.StartAsync(RepositoryLayout.Sample("EchoApp") + ":App", Options);

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>EchoApp with small limits, so the limit cases stay small.</summary>
public sealed class SmallLimitsServerFixture : EchoServerFixture
{
    protected override string[] Options =>
    [
        "--limit-request-line", "64", "--limit-request-fields", "5", "--limit-request-field-size", "64", "--limit-request-body", "16",
    ];
}

/// <summary>EchoApp with one-second timeouts and a body-rate floor, for the timeout cases.</summary>
public sealed class ShortTimeoutsServerFixture : EchoServerFixture
{
    protected override string[] Options =>
    [
        "--header-timeout", "1", "--keep-alive", "1", "--body-timeout", "3", "--min-request-body-rate", "100", "--min-request-body-rate-grace", "1",
    ];
}
