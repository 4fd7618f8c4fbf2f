namespace GatewayServer.Http;

/// <summary>How the request body is delimited (RFC 9112 section 6.3).</summary>
public enum BodyFraming
{
    None,
    ContentLength,
    Chunked,
}
