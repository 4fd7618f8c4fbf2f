using System.Threading.Channels;

namespace GatewayServer.Master;

/// <summary>
/// <c>--reload</c>: watches the app's folder and extra globs, and once changes have been quiet for
/// a moment (a build writes many files) queues one <see cref="MasterEvent.FilesChanged"/> for the
/// master's loop, which answers with a rolling reload.
/// </summary>
public sealed class ChangeWatcher : IDisposable
{
    /// <summary>How long changes must pause before a reload starts: a build writes files in bursts.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(300);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ChannelWriter<MasterEvent> _events;
    private readonly Timer _quiet;
    private readonly TimeSpan _quietPeriod;
    private string? _firstChange;

    public ChangeWatcher(IEnumerable<string> paths, ChannelWriter<MasterEvent> events)
        : this(paths, events, QuietPeriod)
    {
    }

    /// <summary>With a quiet period of its own: tests on a loaded machine need one longer than a build's pauses.</summary>
    public ChangeWatcher(IEnumerable<string> paths, ChannelWriter<MasterEvent> events, TimeSpan quietPeriod)
    {
        _events = events;
        _quietPeriod = quietPeriod;
        _quiet = new Timer(_ => Flush());
        foreach (string path in paths)
        {
            (string directory, string filter, bool recursive) = Split(path);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(directory, filter)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Renamed += OnChange;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>The folders being watched.</summary>
    public IEnumerable<string> Folders => _watchers.Select(w => Path.Combine(w.Path, w.Filter));

    /// <summary>A folder is watched whole; a glob's folder part is watched with its file-name pattern.</summary>
    internal static (string Directory, string Filter, bool Recursive) Split(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return (full, "*", true);
        }

        bool recursive = full.Contains("**", StringComparison.Ordinal);
        string withoutDeep = full.Replace("**" + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);
        string directory = Path.GetDirectoryName(withoutDeep) ?? "/";
        int wildcard = directory.IndexOfAny(['*', '?']);
        if (wildcard >= 0)
        {
            // A wildcard in a folder name: watch from the last plain folder above it, everything below.
            directory = Path.GetDirectoryName(directory[..wildcard]) ?? "/";
            recursive = true;
        }

        return (directory, Path.GetFileName(withoutDeep), recursive);
    }

    public void Dispose()
    {
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }

        _quiet.Dispose();
    }

    private void OnChange(object sender, FileSystemEventArgs change)
    {
        Interlocked.CompareExchange(ref _firstChange, change.FullPath, null);
        _quiet.Change(_quietPeriod, Timeout.InfiniteTimeSpan);
    }

    private void Flush()
    {
        string? path = Interlocked.Exchange(ref _firstChange, null);
        if (path is not null)
        {
            _events.TryWrite(new MasterEvent.FilesChanged(path));
        }
    }
}
