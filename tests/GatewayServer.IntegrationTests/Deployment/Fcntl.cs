using System.Runtime.InteropServices;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>Descriptor flags, to hand a socket of the test down to gwserve (<c>fd://N</c>).</summary>
internal static partial class Fcntl
{
    public static int GetFd(int fd) => fcntl(fd, 1, 0);

    public static void SetFd(int fd, int flags) => fcntl(fd, 2, flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);
}
