using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using GatewayServer.Engine;
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
        ApplyForwarded(Exchange.Forwarded);
    }

    /// <summary>What a trusted proxy's headers say (the engine decided the trust, once per request) replaces the connection's view.</summary>
    private void ApplyForwarded(ForwardedRequest resolved)
    {
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

        if (resolved.Prefix is { } prefix)
        {
            PathBase = ApplicationPath.Base(Exchange.Context.ScriptName, prefix);
        }
    }
}
