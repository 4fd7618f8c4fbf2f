using Microsoft.Win32.SafeHandles;

namespace GatewayServer.Transport;

/// <summary>
/// Which file a name refers to (device and inode) and its type, read without following a symbolic
/// link: how a process tells whether a path in a directory others can write still names the file
/// it created itself.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode, int Type)
{
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_INO = 0x100;

    /// <summary>Whether it is a Unix socket.</summary>
    public bool IsSocket => Type == Libc.S_IFSOCK;

    /// <summary>What <paramref name="path"/> itself names (a symbolic link is not followed), or null when nothing does.</summary>
    public static unsafe FileIdentity? OfPath(string path)
    {
        byte* buffer = stackalloc byte[256];
        return Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_TYPE | STATX_INO, buffer) == 0 ? Read(buffer) : null;
    }

    /// <summary>The file an open handle refers to, wherever its name has gone since.</summary>
    public static unsafe FileIdentity Of(SafeFileHandle handle)
    {
        byte* buffer = stackalloc byte[256];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Libc.statx((int)handle.DangerousGetHandle(), string.Empty, AT_EMPTY_PATH, Libc.STATX_TYPE | STATX_INO, buffer) != 0)
            {
                throw new IOException($"statx failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return Read(buffer);
    }

    // struct statx: stx_mode is the u16 at 28, stx_ino the u64 at 32, stx_dev_major/minor the u32s at 136 and 140,
    // on every architecture.
    private static unsafe FileIdentity Read(byte* buffer) =>
        new(((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140), *(ulong*)(buffer + 32), *(ushort*)(buffer + 28) & Libc.S_IFMT);
}
