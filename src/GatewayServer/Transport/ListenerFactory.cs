using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>Opens the master's listening sockets; workers inherit them.</summary>
public static class ListenerFactory
{
    public static Listener Open(BindAddress address, int backlog)
    {
        Socket socket = address.Kind switch
        {
            BindKind.Tcp => BindTcp(address),
            BindKind.Unix => BindUnix(address),
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

    private static Socket BindTcp(BindAddress address)
    {
        IPAddress ip = ResolveHost(address.Host);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets a restarted server bind while old connections linger in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.NoDelay = true;
            socket.Bind(new IPEndPoint(ip, address.Port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket BindUnix(BindAddress address)
    {
        // A socket file left by a crashed server is replaced, but only if nothing answers on it.
        if (File.Exists(address.Path))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(address.Path));
                throw new IOException($"{address.Path} is in use by another server");
            }
            catch (SocketException)
            {
                File.Delete(address.Path);
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(address.Path));
        return socket;
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
