using System.Globalization;

namespace GatewayServer.Master;

/// <summary>
/// <c>--pid FILE</c>: the master's pid, written beside the file and renamed over it (a reader never
/// sees it half-written), and removed at exit only if it still names this master — after a USR2 the
/// successor has written its own pid there.
/// </summary>
public sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly string _content;

    private PidFile(string path, string content)
    {
        _path = path;
        _content = content;
    }

    /// <exception cref="IOException">The file cannot be written.</exception>
    public static PidFile Write(string path)
    {
        string full = Path.GetFullPath(path);
        string content = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
        try
        {
            File.WriteAllText(temporary, content);
            File.Move(temporary, full, overwrite: true);
        }
        catch (UnauthorizedAccessException error)
        {
            File.Delete(temporary);
            throw new IOException(error.Message, error);
        }

        return new PidFile(full, content);
    }

    public void Dispose()
    {
        try
        {
            if (File.ReadAllText(_path) == _content)
            {
                File.Delete(_path);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone or replaced: not ours to remove.
        }
    }
}
