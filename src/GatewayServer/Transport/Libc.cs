using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>The few libc calls .NET does not wrap: descriptor flags, socket pairs, signals, sendfile, a send that never waits.</summary>
internal static partial class Libc
{
    public const int F_GETFD = 1;
    public const int F_SETFD = 2;
    public const int FD_CLOEXEC = 1;
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int O_NONBLOCK = 0x800;
    public const int SOL_SOCKET = 1;
    public const int SO_REUSEPORT = 15;
    public const int SO_RCVTIMEO = 20;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>Reads (and, with a non-null <paramref name="action"/>, sets) a signal's disposition; the handler is the struct's first field.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int sigaction(int signal, void* action, void* oldAction);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint signal(int signal, nint handler);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int accept4(int fd, nint address, nint addressLength, int flags);

    public const short POLLIN = 1;

    /// <summary><c>poll(2)</c> over <c>struct pollfd { int fd; short events; short revents; }</c> entries (8 bytes each).</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int poll(void* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getppid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int usleep(uint microseconds);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    /// <summary>send(2); the handle is held for the call, so a concurrent close cannot hand its number to another descriptor meanwhile.</summary>
    [LibraryImport("libc")]
    public static unsafe partial nint send(System.Net.Sockets.SafeSocketHandle socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true, EntryPoint = "sendfile64")]
    public static unsafe partial nint sendfile(int outFd, int inFd, long* offset, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int umask(int mask);

    public const int O_WRONLY = 0x1;
    public const int O_CREAT = 0x40;

    /// <summary>With O_CREAT: fail if the name exists, even as a symbolic link (the link is not followed).</summary>
    public const int O_EXCL = 0x80;
    public const int EEXIST = 17;
    public const int O_APPEND = 0x400;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    /// <summary>write(2) on a handle kept alive (ref-counted) for the duration of the call.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(SafeHandle fd, byte* buffer, nint count);

    public const int WNOHANG = 1;
    public const int CLOCK_MONOTONIC = 1;
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_TYPE = 1;
    public const int S_IFMT = 0xF000;
    public const int S_IFSOCK = 0xC000;

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int clock_gettime(int clock, long* timespec);

    /// <summary>statx(2): its buffer layout is the same on every architecture (stx_mode is the u16 at offset 28).</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* buffer);

    /// <summary>On a Unix socket before bind(2): the mode its file is created with (still masked by the umask).</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchmod(System.Net.Sockets.SafeSocketHandle socket, int mode);

    /// <summary>rename(2): replaces whatever <paramref name="newPath"/> names (a symbolic link itself, never its target).</summary>
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rename(string oldPath, string newPath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport("libc", SetLastError = true)]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setuid(uint uid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int setgroups(nint size, uint* groups);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int initgroups(string user, uint gid);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint getpwnam(string name);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint getpwuid(uint uid);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint getgrnam(string name);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint getgrgid(uint gid);

    /// <summary>CLOCK_MONOTONIC in microseconds: the clock systemd's MONOTONIC_USEC is read on.</summary>
    public static unsafe long MonotonicMicroseconds()
    {
        long* timespec = stackalloc long[2];
        return clock_gettime(CLOCK_MONOTONIC, timespec) == 0 ? (timespec[0] * 1_000_000) + (timespec[1] / 1000) : 0;
    }

    /// <summary>Whether <paramref name="path"/> itself (a symbolic link is not followed) is a socket; false when it does not exist.</summary>
    public static bool IsSocket(string path) => FileIdentity.OfPath(path) is { IsSocket: true };

    /// <summary>Lets a descriptor survive exec, so a worker started by the master inherits it.</summary>
    public static void SetInheritable(int fd, bool inheritable)
    {
        int flags = fcntl(fd, F_GETFD, 0);
        if (flags < 0)
        {
            throw new IOException($"fcntl(F_GETFD) failed on fd {fd}: errno {Marshal.GetLastPInvokeError()}");
        }

        int wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
        if (wanted != flags && fcntl(fd, F_SETFD, wanted) < 0)
        {
            throw new IOException($"fcntl(F_SETFD) failed on fd {fd}: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
