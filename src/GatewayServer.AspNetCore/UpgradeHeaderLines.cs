using GatewayServer.Engine;
using GatewayServer.Http.Response;
using Microsoft.AspNetCore.Http;

namespace GatewayServer.AspNetCore;

/// <summary>
/// The headers of an app's 101: its own lines, which leave out the hop-by-hop ones, and the
/// <c>Upgrade</c> header naming the protocol switched to (RFC 9110 section 15.2.2), which a 101 must
/// carry: the app's value, or the one the client asked for. The engine adds <c>Connection: Upgrade</c>.
/// </summary>
internal sealed class UpgradeHeaderLines : IResponseHeaderSource
{
    private readonly ResponseHeaderLines _lines;
    private readonly string _protocol;

    public UpgradeHeaderLines(ResponseHeaderLines lines, IHeaderDictionary headers, string requested)
    {
        _lines = lines;
        string chosen = headers.Upgrade.ToString();
        _protocol = chosen.Length > 0 ? chosen : requested;
        string? problem = ResponseHeaderValidator.CheckHeader("X-Upgrade", _protocol);
        if (problem is not null || _protocol.Length == 0)
        {
            throw new InvalidOperationException(problem ?? "a 101 response names the protocol it switches to in an Upgrade header");
        }
    }

    public int Measure(out long declaredLength) =>
        _lines.Measure(out declaredLength) + ResponseHeadWriter.MeasureHeader("Upgrade", _protocol);

    public int Write(Span<byte> destination)
    {
        int written = _lines.Write(destination);
        return written + ResponseHeadWriter.WriteHeader(destination[written..], "Upgrade", _protocol);
    }
}
