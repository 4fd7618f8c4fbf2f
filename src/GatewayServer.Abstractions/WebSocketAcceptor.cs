using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace GatewayServer;

/// <summary>
/// Accepts a WebSocket (RFC 6455) on a gateway request in one call: checks the handshake, answers
/// <c>101</c> with <c>Sec-WebSocket-Accept</c> through <see cref="EnvironKeys.Upgrade"/>, and
/// returns the runtime's own <see cref="WebSocket"/> over the connection, so framing, masking,
/// fragmentation, ping/pong and the close handshake are .NET's, not a second implementation.
/// </summary>
public static class WebSocketAcceptor
{
    /// <summary>The protocol version this server speaks (RFC 6455 section 4.1), sent back with a 426.</summary>
    public const string SupportedVersion = "13";

    /// <summary>RFC 6455 section 1.3: appended to the client's key before hashing.</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Whether the request asks for a WebSocket: it may upgrade, and its <c>Upgrade</c> header names <c>websocket</c>.</summary>
    public static bool IsWebSocketRequest(IDictionary<string, object?> environ)
    {
        ArgumentNullException.ThrowIfNull(environ);
        return environ.ContainsKey(EnvironKeys.Upgrade)
            && environ.TryGetValue("HTTP_UPGRADE", out object? upgrade) && upgrade is string protocols
            && ListContains(protocols, "websocket");
    }

    /// <summary>The subprotocols the client offered (<c>Sec-WebSocket-Protocol</c>), in its order of preference.</summary>
    public static IReadOnlyList<string> RequestedSubProtocols(IDictionary<string, object?> environ)
    {
        ArgumentNullException.ThrowIfNull(environ);
        return environ.TryGetValue("HTTP_SEC_WEBSOCKET_PROTOCOL", out object? value) && value is string list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
    }

    /// <summary>
    /// Accepts the WebSocket the request asks for, or answers why not: a request that is not a
    /// WebSocket handshake (no upgrade, not GET, no or a malformed <c>Sec-WebSocket-Key</c>) gets 400;
    /// one with another <c>Sec-WebSocket-Version</c> gets 426 with <c>Sec-WebSocket-Version: 13</c>.
    /// </summary>
    /// <param name="environ">The request's environ.</param>
    /// <param name="startResponse">The request's <c>startResponse</c>; called here either way.</param>
    /// <param name="subProtocol">The subprotocol chosen among <see cref="RequestedSubProtocols"/>, or null for none.</param>
    /// <param name="keepAliveInterval">How often the server pings an idle client; null for the runtime's default (30 s), <see cref="TimeSpan.Zero"/> for never.</param>
    /// <param name="keepAliveTimeout">
    /// How long a ping may go unanswered before the WebSocket is aborted; null for never. The server's
    /// HTTP timeouts stop at the upgrade, so this is what drops a peer that vanished without a close.
    /// </param>
    /// <returns>
    /// The WebSocket, whose disposal closes the connection; or null when the handshake was refused:
    /// then the error status is set and the application returns its body (an empty one will do).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="subProtocol"/> is not one the client offered.</exception>
    public static WebSocket? Accept(IDictionary<string, object?> environ, StartResponse startResponse, string? subProtocol = null, TimeSpan? keepAliveInterval = null, TimeSpan? keepAliveTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(environ);
        ArgumentNullException.ThrowIfNull(startResponse);
        string? version = Header(environ, "HTTP_SEC_WEBSOCKET_VERSION");
        if (version is not null && version.Trim() != SupportedVersion && IsWebSocketRequest(environ))
        {
            // RFC 6455 section 4.4: say which version we speak, so the client can retry with it.
            startResponse("426 Upgrade Required", [new("Sec-WebSocket-Version", SupportedVersion), new("Content-Length", "0")]);
            return null;
        }

        string? key = Header(environ, "HTTP_SEC_WEBSOCKET_KEY")?.Trim();
        if (!IsWebSocketRequest(environ) || version is null || !IsValidKey(key)
            || environ.TryGetValue(EnvironKeys.RequestMethod, out object? method) && !"GET".Equals(method))
        {
            startResponse("400 Bad Request", [new("Content-Length", "0")]);
            return null;
        }

        if (subProtocol is not null && !RequestedSubProtocols(environ).Contains(subProtocol, StringComparer.Ordinal))
        {
            throw new ArgumentException($"the client did not offer the subprotocol \"{subProtocol}\"", nameof(subProtocol));
        }

        var headers = new List<KeyValuePair<string, string>>(3)
        {
            new("Upgrade", "websocket"),
            new("Sec-WebSocket-Accept", AcceptValue(key!)),
        };
        if (subProtocol is not null)
        {
            headers.Add(new("Sec-WebSocket-Protocol", subProtocol));
        }

        startResponse("101 Switching Protocols", headers);
        Stream connection = ((ProtocolUpgrade)environ[EnvironKeys.Upgrade]!)();
        var options = new WebSocketCreationOptions { IsServer = true, SubProtocol = subProtocol };
        if (keepAliveInterval is { } interval)
        {
            options.KeepAliveInterval = interval;
        }

        if (keepAliveTimeout is { } timeout)
        {
            options.KeepAliveTimeout = timeout;
        }

        return WebSocket.CreateFromStream(connection, options);
    }

    /// <summary>RFC 6455 section 4.2.2: base64 of the SHA-1 of the key and the protocol's GUID.</summary>
    public static string AcceptValue(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.ASCII.GetBytes(key + KeyGuid), hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>RFC 6455 section 4.1: the key is 16 random bytes in base64 (24 characters).</summary>
    internal static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out int length) && length == 16;
    }

    private static string? Header(IDictionary<string, object?> environ, string key) =>
        environ.TryGetValue(key, out object? value) ? value as string : null;

    /// <summary>Whether a comma-separated header value lists <paramref name="token"/> (case-insensitive).</summary>
    internal static bool ListContains(string list, string token)
    {
        foreach (string item in list.Split(','))
        {
            if (item.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
