using GatewayServer.Master;

namespace GatewayServer.Tests.Master;

public sealed class ChangeWatcherTests
{
    [Fact]
    public void A_folder_is_watched_whole_and_recursively()
    {
        string folder = Directory.CreateTempSubdirectory("gwserve-watch-").FullName;
        try
        {
            ChangeWatcher.Split(folder).Should().Be((folder, "*", true));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Theory]
    [InlineData("/srv/app/config/*.json", "/srv/app/config", "*.json", false)]
    [InlineData("/srv/app/**/*.json", "/srv/app", "*.json", true)]
    [InlineData("/srv/app/settings.json", "/srv/app", "settings.json", false)]
    [InlineData("/srv/*/templates/*.html", "/srv", "*.html", true)]
    public void A_glob_is_watched_from_its_last_plain_folder(string glob, string directory, string filter, bool recursive)
    {
        ChangeWatcher.Split(glob).Should().Be((directory, filter, recursive));
    }

    [Fact]
    public async Task A_burst_of_changes_becomes_one_event_after_the_quiet_period()
    {
        string folder = Directory.CreateTempSubdirectory("gwserve-watch-").FullName;
        var events = System.Threading.Channels.Channel.CreateUnbounded<MasterEvent>();

        // Longer than the default: inotify events for five small writes can arrive hundreds of
        // milliseconds apart on a loaded machine, which would rightly count as two bursts.
        TimeSpan quiet = TimeSpan.FromSeconds(2);
        try
        {
            using (var watcher = new ChangeWatcher([folder], events.Writer, quiet))
            {
                for (int i = 0; i < 5; i++)
                {
                    await File.WriteAllTextAsync(Path.Combine(folder, $"file{i}.dll"), "x");
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                MasterEvent first = await events.Reader.ReadAsync(timeout.Token);
                first.Should().BeOfType<MasterEvent.FilesChanged>().Which.Path.Should().StartWith(folder);
                await Task.Delay(quiet * 2);
            }

            events.Reader.TryRead(out _).Should().BeFalse("the burst should have been coalesced into one reload");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
