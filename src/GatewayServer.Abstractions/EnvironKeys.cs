namespace GatewayServer;

/// <summary>
/// The keys of the request environment (the <c>environ</c> dictionary) defined by the contract.
/// Request headers appear as <c>HTTP_*</c> keys besides these.
/// </summary>
public static class EnvironKeys
{
    /// <summary>The request method as received, e.g. <c>"GET"</c> (case-sensitive).</summary>
    public const string RequestMethod = "REQUEST_METHOD";
    /// <summary>The mount prefix of the application; <c>""</c> by default.</summary>
    public const string ScriptName = "SCRIPT_NAME";
    /// <summary>The percent-decoded path without <see cref="ScriptName"/>.</summary>
    public const string PathInfo = "PATH_INFO";
    /// <summary>The request target exactly as received.</summary>
    public const string RawUri = "RAW_URI";
    /// <summary>The query after <c>?</c>, not decoded; <c>""</c> when absent.</summary>
    public const string QueryString = "QUERY_STRING";
    /// <summary>The <c>Content-Type</c> header; absent when the request has none.</summary>
    public const string ContentType = "CONTENT_TYPE";
    /// <summary>The <c>Content-Length</c> header; absent when the request has none.</summary>
    public const string ContentLength = "CONTENT_LENGTH";
    /// <summary>The host name from <c>Host</c>, or the bound address.</summary>
    public const string ServerName = "SERVER_NAME";
    /// <summary>The port from <c>Host</c>, or the bound port.</summary>
    public const string ServerPort = "SERVER_PORT";
    /// <summary><c>"HTTP/1.1"</c> or <c>"HTTP/1.0"</c>.</summary>
    public const string ServerProtocol = "SERVER_PROTOCOL";
    /// <summary>The address of the client.</summary>
    public const string RemoteAddr = "REMOTE_ADDR";
    /// <summary>The port of the client.</summary>
    public const string RemotePort = "REMOTE_PORT";
    /// <summary>The contract version, a <see cref="System.Version"/> (1.1: 1.0 and <see cref="Upgrade"/>).</summary>
    public const string Version = "gateway.version";
    /// <summary><c>"http"</c> or <c>"https"</c>: <c>"https"</c> on a TLS listener, or as a trusted proxy says (<c>X-Forwarded-Proto</c>, <c>Forwarded: proto=</c>).</summary>
    public const string UrlScheme = "gateway.url_scheme";
    /// <summary>A read-only <see cref="System.IO.Stream"/> of the de-chunked request body.</summary>
    public const string Input = "gateway.input";
    /// <summary>A <see cref="System.IO.TextWriter"/> into the server's error log.</summary>
    public const string Errors = "gateway.errors";
    /// <summary><c>true</c> when one worker may run requests concurrently.</summary>
    public const string Multithread = "gateway.multithread";
    /// <summary><c>true</c> when more than one worker process serves the application.</summary>
    public const string Multiprocess = "gateway.multiprocess";
    /// <summary>Always <c>false</c>: a worker serves many requests.</summary>
    public const string RunOnce = "gateway.run_once";
    /// <summary><c>true</c>: <see cref="Input"/> ends at the end of the body.</summary>
    public const string InputTerminated = "gateway.input_terminated";
    /// <summary>A <see cref="System.Threading.CancellationToken"/> cancelled when the client goes away or the worker stops.</summary>
    public const string RequestAborted = "gateway.request_aborted";
    /// <summary>A <see cref="GatewayServer.FileWrapper"/> that turns a file into a body the server can send with <c>sendfile</c>.</summary>
    public const string FileWrapper = "gateway.file_wrapper";
    /// <summary>The request id (<c>--request-id</c>): the client's <c>X-Request-Id</c> or a generated one; absent when request ids are off.</summary>
    public const string RequestId = "gateway.request_id";
    /// <summary>
    /// A <see cref="GatewayServer.ProtocolUpgrade"/> that switches the connection to the protocol the
    /// application's 101 response names; present only on requests that may upgrade (HTTP/1.1,
    /// <c>Connection: upgrade</c>, an <c>Upgrade</c> header, no body).
    /// <see cref="WebSocketAcceptor"/> uses it to accept a WebSocket in one call. Since contract 1.1.
    /// </summary>
    public const string Upgrade = "gateway.upgrade";
    /// <summary>The client's <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2"/> on a TLS connection that presented one (<c>--cert-reqs</c>); absent otherwise.</summary>
    public const string ClientCertificate = "gateway.client_certificate";
}
