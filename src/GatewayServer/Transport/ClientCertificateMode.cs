namespace GatewayServer.Transport;

/// <summary>Whether a TLS listener asks clients for a certificate (<c>--cert-reqs</c>).</summary>
public enum ClientCertificateMode
{
    /// <summary>Not asked for.</summary>
    None,

    /// <summary>Asked for; a client without one is served, a client with an untrusted one is not.</summary>
    Optional,

    /// <summary>Required and checked against <c>--ca-certs</c>.</summary>
    Required,
}
