using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using GatewayServer.Engine;
using GatewayServer.Transport;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace GatewayServer.AspNetCore;

/// <summary>
/// The connection side: the peer and local endpoints (the PROXY protocol's client when one was
/// sent), TLS and the client certificate, the abort token; and, from a trusted proxy only, what its
/// Forwarded or X-Forwarded-* headers say about the client, the scheme, the host and the path base.
/// </summary>
internal abstract partial class ExchangeFeatures :
    IHttpConnectionFeature,
    IHttpRequestLifetimeFeature,
    ITlsConnectionFeature
{
    private string? _connectionId;
    private CancellationToken? _requestAborted;

    public string ConnectionId
    {
        get => _connectionId ??= ConnectionNumber.ToString("X12", CultureInfo.InvariantCulture);
        set => _connectionId = value;
    }

    public IPAddress? RemoteIpAddress { get; set; }

    public IPAddress? LocalIpAddress { get; set; }

    public int RemotePort { get; set; }

    public int LocalPort { get; set; }

    public CancellationToken RequestAborted
    {
        get => _requestAborted ??= Exchange.RequestAborted;
        set => _requestAborted = value;
    }

    public X509Certificate2? ClientCertificate
    {
        get => field ?? Exchange.ClientCertificate;
        set;
    }

    public void Abort() => Exchange.Abort();

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    private void ResolveConnection()
    {
        _requestAborted = null;
        ClientCertificate = null;
        (RemoteIpAddress, RemotePort) = Exchange.RemoteEndPoint is IPEndPoint remote ? (remote.Address, remote.Port) : (null, 0);
        (LocalIpAddress, LocalPort) = Exchange.LocalEndPoint is IPEndPoint local ? (local.Address, local.Port) : (null, 0);
        if (TrustsProxyHeaders())
        {
            ApplyForwarded();
        }
    }

    /// <summary>Unix-socket peers are trusted: who may connect is decided by the socket file's mode.</summary>
    private bool TrustsProxyHeaders() => Exchange.RemoteEndPoint is IPEndPoint peer
        ? Exchange.Context.ForwardedAllowIps.Allows(peer.Address)
        : Exchange.IsUnixSocket;

    private void ApplyForwarded()
    {
        // Only the headers the operator says the proxy sets (--forwarded-headers) are believed.
        ForwardedHeaders headers = Exchange.Context.ForwardedHeaders;
        if (headers == ForwardedHeaders.None)
        {
            return;
        }

        string? forwarded = HeaderOrNull("Forwarded");
        string? forwardedFor = HeaderOrNull("X-Forwarded-For");
        string? proto = HeaderOrNull("X-Forwarded-Proto");
        string? host = HeaderOrNull("X-Forwarded-Host");
        string? prefix = HeaderOrNull("X-Forwarded-Prefix");
        if (forwarded is null && forwardedFor is null && proto is null && host is null && prefix is null)
        {
            return;
        }

        ForwardedRequest resolved = ForwardedHeaderResolver.Resolve(headers, forwarded, forwardedFor, proto, host, prefix, Exchange.Context.ForwardedAllowIps);
        if (prefix is not null && resolved.Prefix is null && (headers & ForwardedHeaders.XForwardedPrefix) != 0)
        {
            // Not the value itself: it is the client's text, if the proxy let it through.
            Exchange.Context.Log.IgnoredProxyHeader("X-Forwarded-Prefix", "not a clean absolute path");
        }

        if (resolved.ClientAddress is { } address && IPAddress.TryParse(address.Trim('[', ']'), out IPAddress? client))
        {
            RemoteIpAddress = client;
            RemotePort = int.TryParse(resolved.ClientPort, NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : 0;
        }

        if (resolved.Scheme is { } scheme)
        {
            Scheme = scheme;
        }

        if (resolved.Host is { } forwardedHost)
        {
            _requestHeaders["Host"] = forwardedHost;
        }

        if (resolved.Prefix is { } pathBase)
        {
            PathBase = pathBase;
        }
    }

    private string? HeaderOrNull(string name) =>
        _requestHeaders.TryGetValue(name, out StringValues value) && value.Count > 0 ? value.ToString() : null;
}
