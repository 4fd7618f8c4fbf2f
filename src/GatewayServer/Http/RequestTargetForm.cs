namespace GatewayServer.Http;

/// <summary>The four forms of request-target (RFC 9112 section 3.2).</summary>
public enum RequestTargetForm
{
    Origin,
    Absolute,
    Authority,
    Asterisk,
}
