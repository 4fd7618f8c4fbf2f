using System.Text;
using System.Text.Json;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Conformance;

/// <summary>Sends a <see cref="ConformanceCase"/> over a fresh connection and checks every answer.</summary>
public static class ConformanceRunner
{
    public const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n";

    /// <summary>Runs the case whole, and when it is valid also one byte at a time and in seeded random splits.</summary>
    public static async Task RunAllWaysAsync(int port, ConformanceCase testCase)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(testCase.Request);
        await RunAsync(port, testCase, connection => connection.SendAsync(bytes));
        if (!testCase.Splittable)
        {
            return;
        }

        await RunAsync(port, testCase, connection => connection.SendInPiecesAsync(bytes, Enumerable.Repeat(1, bytes.Length)));
        for (int seed = 1; seed <= 3; seed++)
        {
            var random = new Random(seed * 7919 + testCase.Name.Length);
            int[] pieces = [.. Enumerable.Range(0, bytes.Length).Select(_ => random.Next(1, 16))];
            await RunAsync(port, testCase, connection => connection.SendInPiecesAsync(bytes, pieces));
        }
    }

    public static async Task RunAsync(int port, ConformanceCase testCase, Func<RawHttpConnection, Task> send)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await send(connection);

        var echoes = new List<JsonElement>();
        foreach (int status in testCase.Statuses)
        {
            RawResponse response = await connection.ReadResponseAsync(isHead: testCase.Head);
            response.Status.Should().Be(status, "case '{0}'", testCase.Name);
            if (status >= 400)
            {
                response.ClosesConnection.Should().BeTrue("an error response carries Connection: close");
            }

            if (status == 200 && !testCase.Head)
            {
                echoes.Add(JsonDocument.Parse(response.Body).RootElement.Clone());
            }
        }

        CheckEchoes(testCase, echoes);

        if (testCase.Closes)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            byte[] rest = await connection.ReadToEndAsync(cancel.Token);
            Encoding.Latin1.GetString(rest).Should().BeEmpty("case '{0}': nothing more is answered before the server closes", testCase.Name);
        }
        else
        {
            await connection.SendAsync("GET /after HTTP/1.1\r\nHost: example.com\r\n\r\n");
            RawResponse after = await connection.ReadResponseAsync();
            after.Status.Should().Be(200, "case '{0}': the connection stays usable", testCase.Name);
            JsonDocument.Parse(after.Body).RootElement.GetProperty("target").GetString().Should().Be("/after");
        }
    }

    private static void CheckEchoes(ConformanceCase testCase, List<JsonElement> echoes)
    {
        if (testCase.EchoTargets is { } targets)
        {
            echoes.Select(e => e.GetProperty("target").GetString()).Should().Equal(targets);
        }

        if (echoes.Count == 0)
        {
            return;
        }

        JsonElement echo = echoes[0];
        if (testCase.EchoBody is { } body)
        {
            Encoding.Latin1.GetString(Convert.FromBase64String(echo.GetProperty("body_b64").GetString()!)).Should().Be(body);
        }

        if (testCase.EchoMethod is { } method)
        {
            echo.GetProperty("method").GetString().Should().Be(method);
        }

        if (testCase.EchoVersion is { } version)
        {
            echo.GetProperty("version").GetString().Should().Be(version);
        }

        var headers = echo.GetProperty("headers").EnumerateArray()
            .Select(h => (Name: h[0].GetString()!, Value: h[1].GetString()!)).ToList();
        foreach ((string name, string value) in testCase.EchoHeaders)
        {
            headers.Should().Contain((name, value));
        }

        foreach (string name in testCase.EchoHeadersAbsent)
        {
            headers.Select(h => h.Name).Should().NotContain(name);
        }
    }
}
