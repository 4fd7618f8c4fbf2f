using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GatewayServer.Transport;

/// <summary>
/// Sends a file region with sendfile(2): the bytes go from the page cache to the socket without
/// passing through managed memory. The socket is non-blocking, so a full send buffer is waited
/// out with poll before trying again, each wait timed by the connection's send deadline.
/// </summary>
internal static class FileSender
{
    private const int MaxPerCall = 1 << 30;

    public static async ValueTask SendAsync(Socket socket, SafeFileHandle file, long offset, long count, ConnectionOutput timing, CancellationToken cancellation)
    {
        int socketFd = (int)socket.SafeHandle.DangerousGetHandle();
        int fileFd = (int)file.DangerousGetHandle();
        long position = offset;
        long end = offset + count;
        while (position < end)
        {
            cancellation.ThrowIfCancellationRequested();
            int errno = SendSome(socketFd, fileFd, ref position, end);
            if (errno == Libc.EAGAIN)
            {
                timing.StartWaiting();
                try
                {
                    await Task.Run(() => socket.Poll(TimeSpan.FromSeconds(30), SelectMode.SelectWrite), cancellation).ConfigureAwait(false);
                }
                finally
                {
                    timing.StopWaiting();
                }
            }
            else if (errno != 0 && errno != Libc.EINTR)
            {
                throw new IOException($"sendfile failed: errno {errno}");
            }
        }
    }

    private static unsafe int SendSome(int socketFd, int fileFd, ref long position, long end)
    {
        long offset = position;
        nint sent = Libc.sendfile(socketFd, fileFd, &offset, (nint)Math.Min(MaxPerCall, end - position));
        if (sent < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        if (sent == 0)
        {
            throw new EndOfStreamException("the file ended before the region sent");
        }

        position = offset;
        return 0;
    }
}
