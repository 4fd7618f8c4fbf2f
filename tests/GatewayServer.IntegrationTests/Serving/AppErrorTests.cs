using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

public sealed class AppErrorTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";

    [Fact]
    public async Task App_exception_is_a_500_without_details_and_a_log_line_and_the_same_worker_serves_on()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(Behaviours, 1);
        string workerPid = await PidAsync(server.Port);

        using (RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port))
        {
            await connection.SendAsync("GET /raise HTTP/1.1\r\nHost: h\r\n\r\n");
            RawResponse response = await connection.ReadResponseAsync();

            response.StatusLine.Should().Be("HTTP/1.1 500 Internal Server Error");
            response.BodyText.Should().NotContain("secret").And.NotContain("InvalidOperationException").And.NotContain(" at ");
        }

        string logged = await server.WaitForLineAsync(l => l.Contains("Error handling request GET /raise", StringComparison.Ordinal));
        logged.Should().Contain("[ERROR]").And.Contain($"[{workerPid}]");
        server.Output.Should().Contain("secret-detail-that-must-not-leak", "the details belong in the error log");

        (await PidAsync(server.Port)).Should().Be(workerPid, "the worker lives on");
        server.WorkerPids().Should().Equal(int.Parse(workerPid, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string> PidAsync(int port)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync("GET /pid HTTP/1.1\r\nHost: h\r\n\r\n");
        RawResponse response = await connection.ReadResponseAsync();
        response.Status.Should().Be(200);
        return response.BodyText;
    }
}
