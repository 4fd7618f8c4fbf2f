using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>
/// Reads the PROXY protocol header off a new connection without reading past it: the bytes are
/// peeked (MSG_PEEK), parsed, and exactly the header's length is then consumed, so whatever
/// follows — an HTTP request or a TLS ClientHello — is still in the socket for its reader.
/// </summary>
public static class ProxyHeaderReader
{
    /// <summary>Enough for any v1 header and a v2 header with IPv6 addresses and a few TLVs.</summary>
    private const int InitialPeekSize = 256;

    /// <summary>
    /// Returns the client the header names, or null when it names none. Throws
    /// <see cref="InvalidDataException"/> for a malformed header and <see cref="EndOfStreamException"/>
    /// when the peer closes first.
    /// </summary>
    public static async ValueTask<IPEndPoint?> ReadAsync(Socket socket, CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialPeekSize);
        try
        {
            while (true)
            {
                int peeked = await socket.ReceiveAsync(buffer, SocketFlags.Peek, cancellation).ConfigureAwait(false);
                if (peeked == 0)
                {
                    throw new EndOfStreamException("the connection closed before its PROXY header");
                }

                switch (ProxyHeaderParser.TryParse(buffer.AsSpan(0, peeked), out int length, out IPEndPoint? source))
                {
                    case ProxyHeaderStatus.Complete:
                        await ConsumeAsync(socket, buffer, length, cancellation).ConfigureAwait(false);
                        return source;
                    case ProxyHeaderStatus.Invalid:
                        throw new InvalidDataException("malformed PROXY protocol header");
                }

                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }
                else
                {
                    // The spec asks senders to send the header in one piece; a split one is waited
                    // out briefly (a peek would return at once with the same bytes). The caller's
                    // deadline bounds the wait.
                    await Task.Delay(5, cancellation).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask ConsumeAsync(Socket socket, byte[] buffer, int length, CancellationToken cancellation)
    {
        int consumed = 0;
        while (consumed < length)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(consumed, length - consumed), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                throw new EndOfStreamException("the connection closed inside its PROXY header");
            }

            consumed += received;
        }
    }
}
