using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>epoll(7), a receive that never waits and a thread's usage, for the worker's <see cref="ReadinessLoop"/>.</summary>
internal static partial class Libc
{
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    /// <summary>
    /// The size of <c>struct epoll_event</c>: x86-64 packs it (a 32-bit mask then 64-bit data, 12
    /// bytes); every other architecture aligns the data to 8 (16 bytes).
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Where <c>epoll_event.data</c> starts (see <see cref="EpollEventSize"/>).</summary>
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int epoll_ctl(int epoll, int operation, int fd, byte* @event);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int epoll_wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds);

    /// <summary>recv(2) on a handle kept alive for the call (see <see cref="send"/>).</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recv(SafeSocketHandle socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int getrusage(int who, long* usage);

    [LibraryImport("libc")]
    public static partial int gettid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "write")]
    public static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc")]
    public static unsafe partial nint read(int fd, byte* buffer, nint count);
}
