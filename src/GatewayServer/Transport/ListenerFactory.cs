using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>Opens the master's listening sockets; workers inherit them.</summary>
public static class ListenerFactory
{
    /// <summary>
    /// Binds and listens. With <paramref name="reusePort"/> a TCP socket gets <c>SO_REUSEPORT</c>, so
    /// that more sockets can bind the same port (<paramref name="port"/> overrides the address's, for
    /// the extra sockets of a port-0 bind) and the kernel spreads new connections over them.
    /// <paramref name="unixSocketMode"/> (octal bits, or -1 for what the umask leaves) sets a Unix socket file's permissions.
    /// </summary>
    public static Listener Open(BindAddress address, int backlog, bool reusePort = false, int? port = null, int unixSocketMode = -1)
    {
        Socket socket = address.Kind switch
        {
            BindKind.Tcp => BindTcp(address, reusePort, port),
            BindKind.Unix => BindUnix(address, unixSocketMode),
            _ => AdoptDescriptor(address.Descriptor),
        };

        try
        {
            if (address.Kind != BindKind.Descriptor)
            {
                socket.Listen(backlog);
            }

            return new Listener(socket, address);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a listening socket this process inherited (from the master, systemd or the caller).</summary>
    public static Socket AdoptDescriptor(int descriptor)
    {
        return new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
    }

    /// <summary>Adopts a listening socket handed over by the master that re-executed this one (USR2).</summary>
    public static Listener Adopt(int descriptor, BindAddress address) => new(AdoptDescriptor(descriptor), address);

    private static Socket BindTcp(BindAddress address, bool reusePort, int? port)
    {
        IPAddress ip = ResolveHost(address.Host);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets a restarted server bind while old connections linger in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (reusePort)
            {
                socket.SetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_REUSEPORT, BitConverter.GetBytes(1));
            }
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.NoDelay = true;
            socket.Bind(new IPEndPoint(ip, port ?? address.Port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket BindUnix(BindAddress address, int mode)
    {
        RemoveStaleSocket(address.Path);
        if (mode < 0)
        {
            return UnixSocketBinding.Bind(address.Path);
        }

        // The file gets its mode as bind(2) creates it, never by a chmod of the path afterwards: in a
        // directory others can write, the name could by then be their symbolic link to any file. bind
        // creates it with the socket's own mode less the umask, which is narrowed to the same bits for
        // that one call (the master binds before it starts any worker); the socket's mode is set too,
        // for a directory with a default ACL, where the ACL replaces the umask.
        int previous = Libc.umask(~mode & 0x1FF);
        try
        {
            return UnixSocketBinding.Bind(address.Path, socket =>
            {
                if (Libc.fchmod(socket, mode) != 0)
                {
                    throw new IOException($"fchmod on the socket for {address.Path} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                }
            });
        }
        finally
        {
            Libc.umask(previous);
        }
    }

    /// <summary>
    /// A socket file left by a crashed server is replaced, but only if it is a socket (never a
    /// regular file or a symbolic link someone put there) and nothing answers on it.
    /// </summary>
    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return;
        }

        if (!Libc.IsSocket(path))
        {
            throw new IOException($"{path} exists and is not a socket; not replacing it");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
            return;
        }

        throw new IOException($"{path} is in use by another server");
    }

    private static IPAddress ResolveHost(string host)
    {
        if (IPAddress.TryParse(host, out IPAddress? ip))
        {
            return ip;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        IPAddress[] addresses = Dns.GetHostAddresses(host);
        return addresses.Length > 0 ? addresses[0] : throw new IOException($"cannot resolve {host}");
    }
}
