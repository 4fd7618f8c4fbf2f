using System.Buffers.Binary;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>
/// How full a listening TCP socket's accept queue is, from <c>getsockopt(TCP_INFO)</c>: for a socket
/// in LISTEN state Linux reports the queue's length in <c>tcpi_unacked</c> and its limit in
/// <c>tcpi_sacked</c> (what <c>ss -lt</c> shows as Recv-Q and Send-Q).
/// </summary>
public static class ListenQueue
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;

    /// <summary>Offsets in <c>struct tcp_info</c>: eight one-byte fields, then u32 rto, ato, snd_mss, rcv_mss, unacked, sacked.</summary>
    private const int UnackedOffset = 24;
    private const int SackedOffset = 28;

    /// <summary>The queue's length and limit; false for a socket that is not TCP (a Unix socket) or has closed.</summary>
    public static bool TryRead(Socket socket, out long queued, out long limit)
    {
        queued = limit = 0;
        if (socket.ProtocolType != ProtocolType.Tcp)
        {
            return false;
        }

        Span<byte> info = stackalloc byte[104];
        try
        {
            int length = socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            if (length < SackedOffset + 4)
            {
                return false;
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            return false;
        }

        queued = BinaryPrimitives.ReadUInt32LittleEndian(info[UnackedOffset..]);
        limit = BinaryPrimitives.ReadUInt32LittleEndian(info[SackedOffset..]);
        return true;
    }
}
