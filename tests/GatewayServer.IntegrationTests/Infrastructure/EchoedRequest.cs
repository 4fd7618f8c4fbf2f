using System.Text.Json;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>What EchoApp says it received, parsed from its JSON answer.</summary>
public sealed record EchoedRequest(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public static EchoedRequest Parse(RawResponse response)
    {
        response.Header("Content-Type").Should().Be("application/json", "EchoApp answers JSON; got {0}", response.StatusLine);
        using JsonDocument json = JsonDocument.Parse(response.Body);
        JsonElement root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal("method", "target", "version", "headers", "body_b64");
        var headers = root.GetProperty("headers").EnumerateArray()
            .Select(pair =>
            {
                pair.GetArrayLength().Should().Be(2);
                return new KeyValuePair<string, string>(pair[0].GetString()!, pair[1].GetString()!);
            })
            .ToList();
        return new EchoedRequest(
            root.GetProperty("method").GetString()!,
            root.GetProperty("target").GetString()!,
            root.GetProperty("version").GetString()!,
            headers,
            Convert.FromBase64String(root.GetProperty("body_b64").GetString()!));
    }
}
