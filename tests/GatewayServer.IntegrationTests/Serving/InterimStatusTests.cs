using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Serving;

/// <summary>
/// Issue 15, finding 8: an application that answered 100 or 101 as its final status had it sent
/// with keep-alive, so the client took the next response as this request's. A 1xx is not a final
/// status: it is the application's error, answered 500 with a log line, and the connection closes.
/// </summary>
public sealed class InterimStatusTests
{
    private static readonly string Behaviours = RepositoryLayout.Fixture("TestApps") + ":Behaviours";
    private static readonly string OwinStatus = RepositoryLayout.Fixture("TestApps") + ":OwinStatus.Invoke";

    public static TheoryData<string, int> AppsAndCodes => new()
    {
        { "contract", 100 },
        { "contract", 101 },
        { "owin", 100 },
        { "owin", 101 },
    };

    [Theory]
    [MemberData(nameof(AppsAndCodes))]
    public async Task An_app_answering_1xx_as_its_final_status_gets_a_500_and_the_connection_closes_cleanly(string app, int code)
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(app == "owin" ? OwinStatus : Behaviours, 1);
        int worker = server.WorkerPids().Should().ContainSingle().Subject;

        using (RawHttpConnection connection = await RawHttpConnection.OpenAsync(server.Port))
        {
            // A second request pipelined behind: it must not be answered as if it were the first's.
            await connection.SendAsync($"GET /status?code={code} HTTP/1.1\r\nHost: h\r\n\r\nGET /status?code=200 HTTP/1.1\r\nHost: h\r\n\r\n");
            RawResponse response = await connection.ReadResponseAsync();

            response.StatusLine.Should().Be("HTTP/1.1 500 Internal Server Error");
            response.ClosesConnection.Should().BeTrue();
            (await connection.IsClosedByServerAsync()).Should().BeTrue("nothing follows the 500: the pipelined request is never answered");
        }

        await server.WaitForLineAsync(l => l.Contains($"\"{code} ", StringComparison.Ordinal) && l.Contains("is not a final status", StringComparison.Ordinal));
        using (RawHttpConnection next = await RawHttpConnection.OpenAsync(server.Port))
        {
            await next.SendAsync("GET /status?code=200 HTTP/1.1\r\nHost: h\r\n\r\n");
            (await next.ReadResponseAsync()).Status.Should().Be(200);
        }

        server.WorkerPids().Should().Equal([worker], "the worker lives on");
    }
}
