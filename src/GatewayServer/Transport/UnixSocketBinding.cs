using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace GatewayServer.Transport;

/// <summary>
/// Creates and binds a Unix socket with socket(2) and bind(2) rather than <see cref="Socket.Bind"/>,
/// so that the file is this server's to remove, not .NET's. A socket .NET bound unlinks its path by
/// name when disposed, whatever the name refers to by then: after a USR2 hand-over that is the
/// socket the successor master inherited and serves on, or the control socket it bound in the
/// old one's place, and the old master's exit took the name from under it. A socket made from a
/// descriptor leaves the file alone; <see cref="Listener.Dispose"/> unlinks it, and only while the
/// path still names the file this socket created.
/// </summary>
internal static partial class UnixSocketBinding
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;

    /// <summary><c>sizeof(struct sockaddr_un)</c>: the family, then up to 107 bytes of path and its terminating zero.</summary>
    private const int AddressSize = 110;

    /// <summary>
    /// A Unix stream socket bound to <paramref name="path"/>. <paramref name="beforeBind"/> runs on the
    /// unbound socket (to set the mode the file is created with).
    /// </summary>
    public static unsafe Socket Bind(string path, Action<SafeSocketHandle>? beforeBind = null)
    {
        int byteCount = Encoding.UTF8.GetByteCount(path);
        if (byteCount > AddressSize - sizeof(ushort) - 1)
        {
            throw new IOException($"{path} is {byteCount} bytes long; a Unix socket path may have at most {AddressSize - sizeof(ushort) - 1}");
        }

        int descriptor = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (descriptor < 0)
        {
            throw new IOException($"socket(AF_UNIX) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var handle = new SafeSocketHandle(descriptor, ownsHandle: true);
        try
        {
            beforeBind?.Invoke(handle);
            byte* address = stackalloc byte[AddressSize];
            new Span<byte>(address, AddressSize).Clear();
            *(ushort*)address = AF_UNIX;
            Encoding.UTF8.GetBytes(path, new Span<byte>(address + sizeof(ushort), AddressSize - sizeof(ushort)));
            if (bind(handle, address, sizeof(ushort) + byteCount + 1) != 0)
            {
                // The same words a SocketException from Socket.Bind would have carried ("Permission denied").
                throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            }

            return new Socket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int bind(SafeSocketHandle socket, byte* address, int length);
}
