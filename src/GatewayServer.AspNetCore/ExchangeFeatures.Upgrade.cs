using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GatewayServer.AspNetCore;

/// <summary>
/// Protocol upgrades, as Kestrel offers them: <c>app.UseWebSockets()</c> (and SignalR's WebSocket
/// transport over it) calls <see cref="UpgradeAsync"/> after setting its 101 headers, and runs the
/// WebSocket on the stream returned. The connection closes when the request delegate returns.
/// </summary>
internal abstract partial class ExchangeFeatures : IHttpUpgradeFeature
{
    /// <summary>HTTP/1.1 with <c>Connection: upgrade</c>, an <c>Upgrade</c> header and no body.</summary>
    public bool IsUpgradableRequest => Exchange.CanUpgrade;

    public async Task<Stream> UpgradeAsync()
    {
        if (!IsUpgradableRequest)
        {
            throw new InvalidOperationException(HasStarted
                ? "The response has already started."
                : "This request cannot be upgraded: it did not ask to (HTTP/1.1, Connection: upgrade, an Upgrade header, no body).");
        }

        StatusCode = StatusCodes.Status101SwitchingProtocols;
        ReasonPhrase = null;
        for (int i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Key(_onStarting[i].Value).ConfigureAwait(false);
        }

        HasStarted = true;
        _responseHeaders.IsReadOnly = true;
        var lines = new UpgradeHeaderLines(_headerLines, _responseHeaders, RequestUpgrade());
        return Exchange.Upgrade(response => response.WriteHead(StatusCodes.Status101SwitchingProtocols, lines, knownLength: -1, allowKeepAlive: false), closesWithRequest: true);
    }

    /// <summary>The request's Upgrade header, the protocol to name when the app's 101 names none.</summary>
    private string RequestUpgrade()
    {
        IHeaderDictionary headers = ((IHttpRequestFeature)this).Headers;
        return headers.Upgrade.ToString();
    }
}
