using System.Runtime.InteropServices;
using GatewayServer.Transport;
using Microsoft.Win32.SafeHandles;

namespace GatewayServer.Logging;

/// <summary>
/// Where a log goes: standard error, standard output, or a file opened with <c>O_APPEND</c>.
/// Every line leaves in one <c>write(2)</c>, so lines from the master and all its workers sharing
/// the file (or pipe, up to PIPE_BUF bytes) never interleave mid-line. <see cref="Reopen"/> opens
/// the path again (SIGUSR1 after logrotate moved the file); a write racing with it goes to the old
/// file or the new one, never to a closed descriptor, because the handle is reference-counted.
/// </summary>
public sealed class LogFile : IDisposable
{
    /// <summary>The name that means the standard stream instead of a file.</summary>
    public const string StandardStreamName = "-";

    private SafeFileHandle _handle;

    private LogFile(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The file path, or <c>-</c> for a standard stream.</summary>
    public string Path { get; }

    public bool IsFile => Path != StandardStreamName;

    public static LogFile StandardError() => new(StandardStreamName, new SafeFileHandle(2, ownsHandle: false));

    public static LogFile StandardOutput() => new(StandardStreamName, new SafeFileHandle(1, ownsHandle: false));

    /// <summary>Opens <paramref name="path"/> for appending, creating it; <c>-</c> gives <paramref name="standardStream"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened; the message names it and says why.</exception>
    public static LogFile Open(string path, Func<LogFile> standardStream)
    {
        ArgumentNullException.ThrowIfNull(standardStream);
        return path == StandardStreamName ? standardStream() : new LogFile(path, OpenHandle(path));
    }

    /// <summary>Opens the path again; the old handle closes once no write uses it.</summary>
    public void Reopen()
    {
        if (!IsFile)
        {
            return;
        }

        SafeFileHandle fresh = OpenHandle(Path);
        Interlocked.Exchange(ref _handle, fresh).Dispose();
    }

    /// <summary>Writes <paramref name="line"/> whole; a failing log never fails the caller.</summary>
    public void Write(ReadOnlySpan<byte> line)
    {
        SafeFileHandle handle = Volatile.Read(ref _handle);
        try
        {
            WriteAll(handle, line);
        }
        catch (ObjectDisposedException) when (!ReferenceEquals(handle, Volatile.Read(ref _handle)))
        {
            // Reopened between reading the handle and writing: the line goes to the new file.
            try
            {
                WriteAll(Volatile.Read(ref _handle), line);
            }
            catch (ObjectDisposedException)
            {
                // Disposed or reopened twice in a row: the line is lost, never misdirected.
            }
        }
        catch (ObjectDisposedException)
        {
            // The log was disposed while the process stops.
        }
    }

    private static unsafe void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> line)
    {
        fixed (byte* start = line)
        {
            int written = 0;
            while (written < line.Length)
            {
                nint result = Libc.write(handle, start + written, line.Length - written);
                if (result < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                    {
                        continue;
                    }

                    return;
                }

                written += (int)result;
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private static SafeFileHandle OpenHandle(string path)
    {
        int fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open log file {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
