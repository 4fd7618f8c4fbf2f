using System.Text;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>A response as it came off the wire.</summary>
public sealed record RawResponse(string StatusLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool WasChunked)
{
    public int Status => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string Version => StatusLine.Split(' ')[0];

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public bool ClosesConnection => string.Equals(Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);
}
