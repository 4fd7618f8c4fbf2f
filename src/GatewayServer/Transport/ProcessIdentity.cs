using System.Globalization;
using System.Runtime.InteropServices;

namespace GatewayServer.Transport;

/// <summary>
/// Users and groups by name or number (through the C library, so NSS sources count), and the
/// switch a worker makes to them when the master was started as root (<c>--user</c>, <c>--group</c>).
/// </summary>
public static class ProcessIdentity
{
    public static bool IsRoot => Libc.geteuid() == 0;

    /// <summary>The uid and primary gid of a user given by name or uid, or null when there is no such user.</summary>
    public static (uint Uid, uint Gid, string Name)? FindUser(string user)
    {
        nint entry = uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) ? Libc.getpwuid(uid) : Libc.getpwnam(user);
        if (entry == 0)
        {
            return null;
        }

        // struct passwd: char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ...
        string name = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry)) ?? user;
        return ((uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size), (uint)Marshal.ReadInt32(entry, (2 * IntPtr.Size) + 4), name);
    }

    /// <summary>The gid of a group given by name or gid, or null when there is no such group.</summary>
    public static uint? FindGroup(string group)
    {
        nint entry = uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid) ? Libc.getgrgid(gid) : Libc.getgrnam(group);

        // struct group: char *gr_name; char *gr_passwd; gid_t gr_gid; ...
        return entry == 0 ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
    }

    /// <summary>
    /// Becomes <paramref name="user"/> (and <paramref name="group"/>, else the user's primary group),
    /// with only that user's supplementary groups: groups first, while still allowed to change them.
    /// glibc applies set*id to every thread of the process, the runtime's included.
    /// </summary>
    /// <exception cref="IOException">A name does not resolve or a call failed.</exception>
    public static unsafe void SwitchTo(string user, string group)
    {
        (uint Uid, uint Gid, string Name)? account = user.Length > 0 ? FindUser(user) ?? throw new IOException($"no such user: {user}") : null;
        uint? gid = group.Length > 0 ? FindGroup(group) ?? throw new IOException($"no such group: {group}") : account?.Gid;
        if (gid is { } newGid)
        {
            int groups = account is { } a ? Libc.initgroups(a.Name, newGid) : Libc.setgroups(1, &newGid);
            Check(groups, "setting the supplementary groups");
            Check(Libc.setgid(newGid), $"setgid({newGid})");
        }

        if (account is { } target)
        {
            Check(Libc.setuid(target.Uid), $"setuid({target.Uid})");
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new IOException($"{what} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
