using System.Buffers;
using System.Net;
using HttpVersion = GatewayServer.Http.HttpVersion;
using System.Text;
using GatewayServer.Engine;
using GatewayServer.Http;

namespace GatewayServer.Gateway;

/// <summary>
/// Turns a parsed request into the environ of the contract: CGI-style keys, <c>HTTP_*</c> keys
/// for headers, and the <c>gateway.*</c> keys. Only called when an application reads its environ.
/// </summary>
internal sealed class EnvironBuilder
{
    private static readonly Version ContractVersion = new(1, 1);
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly EngineContext _context;
    private readonly HttpExchange _exchange;
    private readonly TextWriter _errors;
    private readonly ApplicationResponder _responder;
    private RequestBodyStream? _input;

    public EnvironBuilder(HttpExchange exchange, TextWriter errors, ApplicationResponder responder)
    {
        _context = exchange.Context;
        _exchange = exchange;
        _errors = errors;
        _responder = responder;
    }

    public void Build(Dictionary<string, object?> values)
    {
        RequestHead head = _exchange.Head;
        values[EnvironKeys.RequestMethod] = KnownMethods.GetString(head[head.Method]);
        values[EnvironKeys.RawUri] = Ascii(head[head.Target]);
        values[EnvironKeys.QueryString] = head.Query.IsEmpty ? string.Empty : Ascii(head[head.Query]);
        values[EnvironKeys.ServerProtocol] = head.Version == HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";
        AddHeaders(values, head);

        // The headers stay as HTTP_* keys either way; only a trusted peer's change the rest.
        ForwardedRequest forwarded = _exchange.Forwarded;
        string scheme = forwarded.Scheme ?? (_exchange.IsTls ? "https" : "http");
        (string scriptName, string path) = ApplicationPath.Split(head, _context.ScriptName, forwarded.Prefix);
        values[EnvironKeys.ScriptName] = scriptName;
        values[EnvironKeys.PathInfo] = path;
        AddServerAddress(values, head, forwarded.Host, scheme);

        if (forwarded.ClientAddress is not null)
        {
            values[EnvironKeys.RemoteAddr] = forwarded.ClientAddress;
            values[EnvironKeys.RemotePort] = forwarded.ClientPort ?? string.Empty;
        }
        else if (_exchange.RemoteEndPoint is IPEndPoint remote)
        {
            values[EnvironKeys.RemoteAddr] = remote.Address.ToString();
            values[EnvironKeys.RemotePort] = remote.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            values[EnvironKeys.RemoteAddr] = string.Empty;
            values[EnvironKeys.RemotePort] = string.Empty;
        }

        values[EnvironKeys.Version] = ContractVersion;
        values[EnvironKeys.UrlScheme] = scheme;
        if (_exchange.ClientCertificate is { } certificate)
        {
            values[EnvironKeys.ClientCertificate] = certificate;
        }

        values[EnvironKeys.Input] = _input ??= new RequestBodyStream(_exchange);
        values[EnvironKeys.Errors] = _errors;
        values[EnvironKeys.Multithread] = True;
        values[EnvironKeys.Multiprocess] = _context.Multiprocess ? True : False;
        values[EnvironKeys.RunOnce] = False;
        values[EnvironKeys.InputTerminated] = True;
        values[EnvironKeys.RequestAborted] = _exchange.RequestAborted;
        values[EnvironKeys.FileWrapper] = FileWrapperFactory;
        if (_exchange.CanUpgrade)
        {
            values[EnvironKeys.Upgrade] = _responder.Upgrade;
        }

        if (_exchange.Trace?.RequestIdText is { } requestId)
        {
            values[EnvironKeys.RequestId] = requestId;
        }
    }

    private static readonly FileWrapper FileWrapperFactory = (file, offset, length) => new FileBody(file, offset, length);

    private void AddServerAddress(Dictionary<string, object?> values, RequestHead head, string? forwardedHost, string scheme)
    {
        // RFC 9112 section 3.2.2: an absolute-form target's authority wins over Host.
        ByteRange authority = !head.TargetAuthority.IsEmpty ? head.TargetAuthority : head.Host;
        bool hasAuthority = forwardedHost is not null || !authority.IsEmpty;
        string host = forwardedHost ?? Ascii(head[authority]);
        string? port = null;
        int colon = host.LastIndexOf(':');
        if (colon >= 0 && colon > host.LastIndexOf(']'))
        {
            port = host[(colon + 1)..];
            host = host[..colon];
        }

        IPEndPoint? local = _exchange.LocalEndPoint as IPEndPoint;
        values[EnvironKeys.ServerName] = host.Length > 0 ? host : local?.Address.ToString() ?? "localhost";
        values[EnvironKeys.ServerPort] = port is { Length: > 0 } ? port
            : !hasAuthority && local is not null ? local.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : scheme == "https" ? "443" : "80";
    }

    private static void AddHeaders(Dictionary<string, object?> values, RequestHead head)
    {
        foreach (HeaderField field in head.Headers)
        {
            ReadOnlySpan<byte> name = head[field.Name];
            // A header spelled with '_' could pose as one spelled with '-' (X_Forwarded_For).
            if (name.Contains((byte)'_'))
            {
                continue;
            }

            string key = EnvironKey(name);
            string value = HttpRequestParser.DecodeLatin1(head[field.Value]);
            if (values.TryGetValue(key, out object? existing) && existing is string previous)
            {
                value = previous + (key == "HTTP_COOKIE" ? "; " : ", ") + value;
            }

            values[key] = value;
        }
    }

    private static string EnvironKey(ReadOnlySpan<byte> name)
    {
        if (System.Text.Ascii.EqualsIgnoreCase(name, "content-type"u8))
        {
            return EnvironKeys.ContentType;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8))
        {
            return EnvironKeys.ContentLength;
        }

        return string.Create(name.Length + 5, name.ToArray(), static (span, bytes) =>
        {
            "HTTP_".CopyTo(span);
            for (int i = 0; i < bytes.Length; i++)
            {
                char c = (char)bytes[i];
                span[i + 5] = c == '-' ? '_' : char.ToUpperInvariant(c);
            }
        });
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
