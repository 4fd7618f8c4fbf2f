namespace GatewayServer.Http;

/// <summary>The protocol versions gwserve speaks.</summary>
public enum HttpVersion
{
    Http10,
    Http11,
}
