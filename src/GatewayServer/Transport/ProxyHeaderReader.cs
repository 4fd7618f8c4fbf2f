using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace GatewayServer.Transport;

/// <summary>
/// Reads the PROXY protocol header off a new connection without reading past it: the bytes are
/// peeked (MSG_PEEK), parsed, and only bytes known to belong to the header are consumed, so
/// whatever follows — an HTTP request or a TLS ClientHello — is still in the socket for its reader.
/// <para>
/// A header that came in pieces waits for its next piece on readiness, not on a timer: while the
/// header is incomplete, every byte received so far is part of it (a v1 header ends at its first
/// LF, a v2 header at the length its fixed part gives), so those bytes are taken out of the socket,
/// and the next peek of an empty socket waits until more arrive, costing no CPU meanwhile. A peek
/// of bytes still in the socket would return at once, which is why the reader once polled.
/// </para>
/// </summary>
public static class ProxyHeaderReader
{
    /// <summary>Enough for any v1 header and a v2 header with IPv6 addresses and a few TLVs.</summary>
    private const int InitialPeekSize = 256;

    /// <summary>
    /// Returns the client the header names, or null when it names none. Throws
    /// <see cref="InvalidDataException"/> for a malformed header and <see cref="EndOfStreamException"/>
    /// when the peer closes first. <paramref name="cancellation"/> (the head timeout) bounds the wait.
    /// </summary>
    public static async ValueTask<IPEndPoint?> ReadAsync(Socket socket, CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialPeekSize);
        int taken = 0;
        try
        {
            while (true)
            {
                int peeked = await socket.ReceiveAsync(buffer.AsMemory(taken), SocketFlags.Peek, cancellation).ConfigureAwait(false);
                if (peeked == 0)
                {
                    throw new EndOfStreamException("the connection closed before its PROXY header");
                }

                switch (ProxyHeaderParser.TryParse(buffer.AsSpan(0, taken + peeked), out int length, out IPEndPoint? source))
                {
                    case ProxyHeaderStatus.Complete:
                        await TakeAsync(socket, buffer.AsMemory(taken, length - taken), cancellation).ConfigureAwait(false);
                        return source;
                    case ProxyHeaderStatus.Invalid:
                        throw new InvalidDataException("malformed PROXY protocol header");
                }

                // Incomplete: all of it is header. Taken out, so the next peek waits for new bytes.
                await TakeAsync(socket, buffer.AsMemory(taken, peeked), cancellation).ConfigureAwait(false);
                taken += peeked;
                int needed = Math.Max(length, taken + 1);
                if (needed > buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(needed);
                    buffer.AsSpan(0, taken).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Receives exactly <paramref name="destination"/>'s length: bytes already peeked, so the receive does not wait.</summary>
    private static async ValueTask TakeAsync(Socket socket, Memory<byte> destination, CancellationToken cancellation)
    {
        while (!destination.IsEmpty)
        {
            int received = await socket.ReceiveAsync(destination, SocketFlags.None, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                throw new EndOfStreamException("the connection closed inside its PROXY header");
            }

            destination = destination[received..];
        }
    }
}
