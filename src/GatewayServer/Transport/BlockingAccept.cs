using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>
/// Blocking <c>accept(2)</c> on an inherited listening socket. Processes blocked in accept on one
/// socket wait in the kernel's exclusive FIFO queue and are woken one at a time, in turn, so
/// connections spread evenly over the workers; an epoll-driven accept wakes them all and the
/// fastest (usually the least loaded, often the same one) takes the whole batch. The wait is
/// bounded by <c>SO_RCVTIMEO</c>, so a stopping worker leaves the queue within one interval
/// without touching the socket the other workers still share (closing or shutting it down
/// would stop it listening for everyone).
/// </summary>
public sealed class BlockingAccept
{
    private const int ECONNABORTED = 103;

    private readonly int _descriptor;

    public BlockingAccept(int descriptor, TimeSpan wakeInterval)
    {
        _descriptor = descriptor;
        int flags = Libc.fcntl(descriptor, Libc.F_GETFL, 0);
        if (flags >= 0 && (flags & Libc.O_NONBLOCK) != 0)
        {
            Libc.fcntl(descriptor, Libc.F_SETFL, flags & ~Libc.O_NONBLOCK);
        }

        SetReceiveTimeout(descriptor, wakeInterval);
    }

    public int Descriptor => _descriptor;

    /// <summary>The next connection, or null when the wait interval passed (or a signal interrupted it).</summary>
    public Socket? Accept()
    {
        int client = Libc.accept4(_descriptor, 0, 0, Libc.SOCK_CLOEXEC);
        if (client >= 0)
        {
            return new Socket(new SafeSocketHandle(client, ownsHandle: true));
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is Libc.EAGAIN or Libc.EINTR or ECONNABORTED)
        {
            return null;
        }

        throw new IOException($"accept failed: errno {errno}");
    }

    /// <summary>
    /// A connection already queued on the socket, or null at once when none is (a process sharing
    /// the socket may take it between the look and the accept: then this waits one interval at most).
    /// </summary>
    public unsafe Socket? AcceptIfQueued()
    {
        int* pollfd = stackalloc int[2];
        pollfd[0] = _descriptor;
        pollfd[1] = Libc.POLLIN;
        return Libc.poll(pollfd, 1, 0) > 0 ? Accept() : null;
    }

    private static unsafe void SetReceiveTimeout(int descriptor, TimeSpan interval)
    {
        long* timeval = stackalloc long[2];
        timeval[0] = (long)interval.TotalSeconds;
        timeval[1] = (long)(interval.TotalMicroseconds % 1_000_000);
        if (Libc.setsockopt(descriptor, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, 2 * sizeof(long)) != 0)
        {
            throw new IOException($"setsockopt(SO_RCVTIMEO) failed on fd {descriptor}: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
