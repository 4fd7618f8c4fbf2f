namespace GatewayServer.Http.Response;

/// <summary>Reason phrases for the statuses the server itself sends (RFC 9110 section 15).</summary>
public static class ReasonPhrases
{
    public static string For(int status) => status switch
    {
        400 => "Bad Request",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
}
