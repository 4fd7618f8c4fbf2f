using GatewayServer.Configuration;
using GatewayServer.Control;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Control;

public sealed class WorkerHandshakeTests
{
    [Fact]
    public async Task Settings_sent_over_a_real_socket_pair_arrive_unchanged()
    {
        var settings = new ServerSettings();
        settings.Set(Settings.Workers, 7, SettingSource.CommandLine);
        settings.Set(Settings.Bind, new List<BindAddress> { BindAddress.Parse("127.0.0.1:0"), BindAddress.Parse("[::1]:81") }, SettingSource.ConfigFile);
        settings.Set(Settings.GracefulTimeout, TimeSpan.FromSeconds(2.5), SettingSource.Environment);
        settings.Set(Settings.ScriptName, "/api", SettingSource.CommandLine);
        var sent = new WorkerHandshake(3, "My App.dll:Startup.Create(\"a=b\")", settings);

        (ControlChannel parent, int childEnd) = ControlChannel.CreatePair();
        using (parent)
        using (ControlChannel child = ControlChannel.FromDescriptor(childEnd))
        {
            foreach (string line in sent.ToLines())
            {
                parent.Send(line);
            }

            WorkerHandshake received = await WorkerHandshake.ReadAsync(child);

            received.WorkerId.Should().Be(3);
            received.Target.Should().Be(sent.Target);
            foreach (Setting setting in Settings.All)
            {
                setting.Format(received.Settings.GetValue(setting)).Should().Equal(setting.Format(settings.GetValue(setting)), setting.Name);
            }
        }
    }

    [Fact]
    public void Settings_at_their_default_are_left_out_of_the_handshake()
    {
        var settings = new ServerSettings();
        settings.Set(Settings.Workers, 7, SettingSource.CommandLine);
        settings.Set(Settings.Threads, Settings.Threads.Default, SettingSource.CommandLine);

        string[] lines = [.. new WorkerHandshake(1, "App.dll", settings).ToLines()];

        lines.Should().Equal("worker-id=1", "target=App.dll", "generation=1", "workers=7", string.Empty);
    }

    [Fact]
    public async Task Closing_one_end_is_seen_as_end_of_stream_on_the_other()
    {
        (ControlChannel parent, int childEnd) = ControlChannel.CreatePair();
        using ControlChannel child = ControlChannel.FromDescriptor(childEnd);
        parent.Send("ready");
        parent.Dispose();

        (await child.ReadLineAsync()).Should().Be("ready");
        (await child.ReadLineAsync()).Should().BeNull();
    }
}
