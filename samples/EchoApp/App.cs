using System.Text.Json;
using GatewayServer;

namespace EchoApp;

/// <summary>
/// Echoes the request back as JSON: method, target, version, headers and the body in base64.
/// Paths under <c>/noread</c> answer without reading the body. Errors reading the body propagate,
/// so what a client sees is the server's own handling of them.
/// </summary>
public sealed class App : IGatewayApplication
{
    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Content-Type", "application/json"),
    ];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string target = (string)environ[EnvironKeys.RawUri]!;
        byte[] body = target.StartsWith("/noread", StringComparison.Ordinal)
            ? []
            : ReadAll((Stream)environ[EnvironKeys.Input]!);

        var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("method", (string)environ[EnvironKeys.RequestMethod]!);
            json.WriteString("target", target);
            json.WriteString("version", (string)environ[EnvironKeys.ServerProtocol]!);
            json.WriteStartArray("headers");
            foreach (var (key, value) in environ)
            {
                string? name = HeaderName(key);
                if (name is not null && value is string text)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(name);
                    json.WriteStringValue(text);
                    json.WriteEndArray();
                }
            }

            json.WriteEndArray();
            json.WriteString("body_b64", Convert.ToBase64String(body));
            json.WriteEndObject();
        }

        startResponse("200 OK", Headers);
        return [output.ToArray()];
    }

    private static string? HeaderName(string key) => key switch
    {
        EnvironKeys.ContentType => "content-type",
        EnvironKeys.ContentLength => "content-length",
        _ when key.StartsWith("HTTP_", StringComparison.Ordinal) => key[5..].ToLowerInvariant().Replace('_', '-'),
        _ => null,
    };

    private static byte[] ReadAll(Stream input)
    {
        var copy = new MemoryStream();
        input.CopyTo(copy);
        return copy.ToArray();
    }
}
