namespace GatewayServer.Http;

/// <summary>A request the server refuses; the connection is answered and closed.</summary>
public sealed class BadHttpRequestException : IOException
{
    public BadHttpRequestException(RequestRejectionReason reason)
        : base(RequestRejection.Describe(reason))
    {
        Reason = reason;
    }

    public RequestRejectionReason Reason { get; }

    public int StatusCode => RequestRejection.StatusCode(Reason);
}
