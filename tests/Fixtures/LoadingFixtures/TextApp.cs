using System.Text;
using GatewayServer;

namespace LoadingFixtures;

/// <summary>Answers with a fixed text, so a test can tell which type, member or overload produced it.</summary>
public class TextApp : IGatewayApplication
{
    private readonly string _text;

    public TextApp(string text) => _text = text;

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        startResponse("200 OK", []);
        return [Encoding.UTF8.GetBytes(_text)];
    }
}
