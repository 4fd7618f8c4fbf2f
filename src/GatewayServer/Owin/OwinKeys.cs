namespace GatewayServer.Owin;

/// <summary>The OWIN 1.0 environment keys the server fills in and reads back (OWIN spec section 3.2, and the common keys).</summary>
internal static class OwinKeys
{
    public const string Version = "owin.Version";
    public const string CallCancelled = "owin.CallCancelled";
    public const string RequestMethod = "owin.RequestMethod";
    public const string RequestScheme = "owin.RequestScheme";
    public const string RequestPathBase = "owin.RequestPathBase";
    public const string RequestPath = "owin.RequestPath";
    public const string RequestQueryString = "owin.RequestQueryString";
    public const string RequestProtocol = "owin.RequestProtocol";
    public const string RequestHeaders = "owin.RequestHeaders";
    public const string RequestBody = "owin.RequestBody";
    public const string ResponseStatusCode = "owin.ResponseStatusCode";
    public const string ResponseReasonPhrase = "owin.ResponseReasonPhrase";
    public const string ResponseHeaders = "owin.ResponseHeaders";
    public const string ResponseBody = "owin.ResponseBody";
    public const string RemoteIpAddress = "server.RemoteIpAddress";
    public const string RemotePort = "server.RemotePort";
    public const string IsLocal = "server.IsLocal";
    public const string OnSendingHeaders = "server.OnSendingHeaders";
    public const string LocalIpAddress = "server.LocalIpAddress";
    public const string LocalPort = "server.LocalPort";
    public const string TraceOutput = "host.TraceOutput";
    public const string ClientCertificate = "ssl.ClientCertificate";
    public const string WebSocketAccept = "websocket.Accept";
}
