using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Tests.Engine;

/// <summary>Two ends of a loopback TCP connection.</summary>
internal sealed class SocketPair(Socket client, Socket server) : IDisposable
{
    public Socket Client => client;

    public Socket Server => server;

    public static SocketPair Open()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        connecting.Connect(listener.LocalEndPoint!);
        return new SocketPair(connecting, listener.Accept());
    }

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
    }
}
