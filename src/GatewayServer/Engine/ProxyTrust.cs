using System.Net;
using GatewayServer.Http;
using GatewayServer.Transport;

namespace GatewayServer.Engine;

/// <summary>
/// Whether a request's peer is a trusted proxy (<c>--forwarded-allow-ips</c>; Unix-socket peers
/// always are, who may connect being decided by the socket file's mode) and, if so, what the proxy
/// headers the operator named (<c>--forwarded-headers</c>) say about the original request. Read
/// straight from the head's bytes, once per request (<see cref="HttpExchange.Forwarded"/>), for
/// every app model: none of them redoes proxy trust.
/// </summary>
internal static class ProxyTrust
{
    /// <summary>Whether the connection's peer may speak for the client: the same for every request of the connection.</summary>
    public static bool TrustsPeer(HttpExchange exchange) => exchange.RemoteEndPoint is IPEndPoint peer
        ? exchange.Context.ForwardedAllowIps.Allows(peer.Address)
        : exchange.IsUnixSocket;

    /// <summary>What the current request's proxy headers say; <paramref name="trustsPeer"/> is <see cref="TrustsPeer"/>'s answer.</summary>
    public static ForwardedRequest Resolve(HttpExchange exchange, bool trustsPeer)
    {
        EngineContext context = exchange.Context;
        ForwardedHeaders trusted = context.ForwardedHeaders;
        if (!trustsPeer || trusted == ForwardedHeaders.None)
        {
            return default;
        }

        RequestHead head = exchange.Head;
        string? forwarded = null, forwardedFor = null, proto = null, host = null, prefix = null;
        foreach (HeaderField field in head.Headers)
        {
            ReadOnlySpan<byte> name = head[field.Name];
            if (name.Length < "Forwarded".Length || (name[0] | 0x20) is not ((byte)'f' or (byte)'x'))
            {
                // Nearly every header is told apart by its first letter: most requests match nothing here.
                continue;
            }

            if (System.Text.Ascii.EqualsIgnoreCase(name, "Forwarded"u8))
            {
                Join(ref forwarded, head, field);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "X-Forwarded-For"u8))
            {
                Join(ref forwardedFor, head, field);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "X-Forwarded-Proto"u8))
            {
                Join(ref proto, head, field);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "X-Forwarded-Host"u8))
            {
                Join(ref host, head, field);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "X-Forwarded-Prefix"u8))
            {
                Join(ref prefix, head, field);
            }
        }

        if (forwarded is null && forwardedFor is null && proto is null && host is null && prefix is null)
        {
            return default;
        }

        ForwardedRequest resolved = ForwardedHeaderResolver.Resolve(trusted, forwarded, forwardedFor, proto, host, prefix, context.ForwardedAllowIps);
        if (prefix is not null && resolved.Prefix is null && (trusted & ForwardedHeaders.XForwardedPrefix) != 0)
        {
            // Not the value itself: it is the client's text, if the proxy let it through.
            context.Log.IgnoredProxyHeader("X-Forwarded-Prefix", "not a clean absolute path");
        }

        return resolved;
    }

    /// <summary>A repeated header is one list (RFC 9110 section 5.3), as the environ joins it.</summary>
    private static void Join(ref string? value, RequestHead head, HeaderField field)
    {
        string text = HttpRequestParser.DecodeLatin1(head[field.Value]);
        value = value is null ? text : value + ", " + text;
    }
}
