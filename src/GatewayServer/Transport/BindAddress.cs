using System.Globalization;
using System.Net;

namespace GatewayServer.Transport;

/// <summary>
/// Where to listen, in Gunicorn's notation: <c>HOST:PORT</c>, <c>[IPv6]:PORT</c>, <c>HOST</c>
/// (port 8000), <c>unix:/path</c> or <c>fd://N</c> (an already open socket).
/// </summary>
public sealed record BindAddress
{
    private BindAddress(BindKind kind, string host, int port, string path, int fd)
    {
        Kind = kind;
        Host = host;
        Port = port;
        Path = path;
        Descriptor = fd;
    }

    public BindKind Kind { get; }

    public string Host { get; }

    public int Port { get; }

    public string Path { get; }

    public int Descriptor { get; }

    public static BindAddress Tcp(string host, int port) => new(BindKind.Tcp, host, port, string.Empty, -1);

    public static BindAddress Parse(string text)
    {
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            string path = text["unix:".Length..];
            return path.Length > 0 ? new BindAddress(BindKind.Unix, string.Empty, 0, path, -1) : throw Invalid(text);
        }

        if (text.StartsWith("fd://", StringComparison.Ordinal))
        {
            return int.TryParse(text["fd://".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int fd) && fd >= 0
                ? new BindAddress(BindKind.Descriptor, string.Empty, 0, string.Empty, fd)
                : throw Invalid(text);
        }

        string host;
        string? portText;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                throw Invalid(text);
            }

            host = text[1..close];
            portText = close + 1 < text.Length ? text[(close + 2)..] : null;
            if (!IPAddress.TryParse(host, out IPAddress? address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw Invalid(text);
            }
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new FormatException($"\"{text}\" is ambiguous: write an IPv6 address in brackets, as [::1]:8000");
            }

            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }

        int port = 8000;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new FormatException($"\"{text}\" has an invalid port: expected 0 to 65535");
        }

        return new BindAddress(BindKind.Tcp, host.Length == 0 ? "0.0.0.0" : host, port, string.Empty, -1);
    }

    public override string ToString() => Kind switch
    {
        BindKind.Unix => "unix:" + Path,
        BindKind.Descriptor => "fd://" + Descriptor.ToString(CultureInfo.InvariantCulture),
        _ when Host.Contains(':', StringComparison.Ordinal) => $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}",
    };

    private static FormatException Invalid(string text) =>
        new($"\"{text}\" is not HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N");
}
