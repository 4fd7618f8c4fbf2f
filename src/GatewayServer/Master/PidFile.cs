using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GatewayServer.Transport;
using Microsoft.Win32.SafeHandles;

namespace GatewayServer.Master;

/// <summary>
/// <c>--pid FILE</c>: the master's pid, written to a new file beside it and renamed over it (a reader
/// never sees it half-written), and removed at exit only if it is still the file this master wrote —
/// after a USR2 the successor has renamed its own there.
/// </summary>
/// <remarks>
/// The directory may be one another user can write (a master running as root, its pid file in a
/// service user's directory). So the temporary name is unpredictable and the file is created with
/// <c>O_CREAT|O_EXCL</c>, which fails on any name that exists, a planted symbolic link included: the
/// bytes written always go to a new file of this process, never through someone's link into another
/// file (as Gunicorn's mkstemp). rename(2) then replaces whatever the pid path names — a symbolic
/// link there is replaced itself, its target untouched.
/// </remarks>
public sealed class PidFile : IDisposable
{
    /// <summary>Names taken by someone else in a row before giving up: with 64 random bits, only an attack gets here.</summary>
    private const int CreateAttempts = 16;

    /// <summary>0644, less the umask.</summary>
    private const int Mode = 0x1A4;

    private readonly string _path;
    private readonly FileIdentity _written;

    private PidFile(string path, FileIdentity written)
    {
        _path = path;
        _written = written;
    }

    /// <exception cref="IOException">The file cannot be written.</exception>
    public static PidFile Write(string path)
    {
        string full = Path.GetFullPath(path);
        byte[] content = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        (string temporary, FileIdentity written) = CreateTemporary(Path.GetDirectoryName(full)!, Path.GetFileName(full), content);
        if (Libc.rename(temporary, full) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.unlink(temporary);
            throw new IOException($"cannot rename {temporary} to {full}: errno {errno}");
        }

        return new PidFile(full, written);
    }

    public void Dispose()
    {
        // Only the file this master created: not a successor's, nor anything put in its place.
        if (FileIdentity.OfPath(_path) == _written)
        {
            Libc.unlink(_path);
        }
    }

    private static unsafe (string Path, FileIdentity Written) CreateTemporary(string directory, string name, byte[] content)
    {
        for (int attempt = 1; ; attempt++)
        {
            string temporary = Path.Combine(directory, $".{name}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}.tmp");
            int fd = Libc.open(temporary, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, Mode);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EEXIST && attempt < CreateAttempts)
                {
                    continue;
                }

                throw new IOException($"cannot create {temporary}: errno {errno}");
            }

            using var file = new SafeFileHandle(fd, ownsHandle: true);
            fixed (byte* bytes = content)
            {
                if (Libc.write(file, bytes, content.Length) != content.Length)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    Libc.unlink(temporary);
                    throw new IOException($"cannot write {temporary}: errno {errno}");
                }
            }

            return (temporary, FileIdentity.Of(file));
        }
    }
}
