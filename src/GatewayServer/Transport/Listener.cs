using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>A bound, listening socket and the address it was asked for.</summary>
public sealed class Listener : IDisposable
{
    /// <summary>The socket file this listener's path named when it was bound: the only file its disposal may unlink.</summary>
    private readonly FileIdentity? _file;

    public Listener(Socket socket, BindAddress address)
    {
        Socket = socket;
        Address = address;
        _file = address.Kind == BindKind.Unix ? FileIdentity.OfPath(address.Path) : null;
    }

    public Socket Socket { get; }

    public BindAddress Address { get; }

    /// <summary>Whether disposing deletes a Unix socket's file; not once another master took the socket over.</summary>
    public bool UnlinkOnDispose { get; set; } = true;

    /// <summary>The port actually bound (TCP), or 0.</summary>
    public int Port => Socket.LocalEndPoint is IPEndPoint ip ? ip.Port : 0;

    public int Descriptor => (int)Socket.SafeHandle.DangerousGetHandle();

    /// <summary>
    /// The address as a URL with <paramref name="scheme"/> (<c>https</c> when the workers speak
    /// TLS), with the real port when port 0 was asked for.
    /// </summary>
    public string UrlWithScheme(string scheme) => Socket.LocalEndPoint switch
    {
        IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"{scheme}://[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"{scheme}://{ip.Address}:{ip.Port}",
        UnixDomainSocketEndPoint unix => $"unix:{unix}",
        _ => Address.ToString(),
    };

    public void Dispose()
    {
        // Our own file only, and unlinked while the socket still listens: a successor master waiting
        // for the path finds it in use until it is gone, so the file it then binds is never the one
        // unlinked here. Whatever else the path names now is someone else's.
        if (Address.Kind == BindKind.Unix && UnlinkOnDispose && _file is { } bound && FileIdentity.OfPath(Address.Path) == bound)
        {
            Libc.unlink(Address.Path);
        }

        Socket.Dispose();
    }
}
