using System.Buffers.Binary;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>Who is at the other end of a Unix socket, from <c>SO_PEERCRED</c> (the kernel's word, not the peer's).</summary>
/// <param name="Pid">The peer's process id when it connected.</param>
/// <param name="Uid">Its effective user id.</param>
/// <param name="Gid">Its effective group id.</param>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SoPeerCred = 17;

    /// <summary>The credentials of <paramref name="socket"/>'s peer, or null when the kernel gives none (not a Unix socket).</summary>
    public static PeerCredentials? Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(Libc.SOL_SOCKET, SoPeerCred, ucred) < 12)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]));
    }
}
