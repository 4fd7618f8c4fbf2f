using System.Globalization;
using System.Runtime.InteropServices;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// The files gwserve creates as root in a directory another user can write (its pid file, a unix
/// socket): that user's symbolic links, planted in advance or swapped in during the start, never
/// make gwserve write to or chmod another file. The victim is a root-owned 0600 file elsewhere.
/// </summary>
[Collection(DeploymentCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class FileSystemAttackTests : IDisposable
{
    private const UnixFileMode VictimMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string VictimText = "root's secret\n";

    /// <summary>How many of the next pids get a link at the old temporary name: more than the machine starts in the meantime.</summary>
    private const int PlantedPids = 20_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-writable-").FullName;
    private readonly string _victimDirectory = Directory.CreateTempSubdirectory("gwserve-victim-").FullName;
    private readonly string _victim;

    public FileSystemAttackTests()
    {
        _victim = Path.Combine(_victimDirectory, "victim");
        File.WriteAllText(_victim, VictimText);
        File.SetUnixFileMode(_victim, VictimMode);
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(_victimDirectory, recursive: true);
    }

    [RootFact]
    public async Task Pid_file_in_a_directory_nobody_owns_goes_through_no_planted_link_and_holds_the_master_pid()
    {
        (await DeploymentApps.RunAsync("chown", "nobody", _directory)).ExitCode.Should().Be(0);
        string pidFile = Path.Combine(_directory, "gwserve.pid");
        File.CreateSymbolicLink(pidFile, _victim);
        int lastPid = int.Parse(File.ReadAllText("/proc/sys/kernel/ns_last_pid"), CultureInfo.InvariantCulture);
        int maxPid = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max"), CultureInfo.InvariantCulture);
        for (int i = 1; i <= PlantedPids; i++)
        {
            // The name the pid file used to be written through first: .NAME.PID.tmp.
            File.CreateSymbolicLink(Path.Combine(_directory, $".gwserve.pid.{((lastPid + i - 1) % maxPid) + 1}.tmp"), _victim);
        }

        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1, "--pid", pidFile);

        AssertVictimUntouched();
        File.Exists(Path.Combine(_directory, $".gwserve.pid.{server.Pid}.tmp")).Should().BeTrue("a link was planted at the master's own old temporary name");
        new FileInfo(pidFile).LinkTarget.Should().BeNull("rename replaced the link itself");
        File.ReadAllText(pidFile).Should().Be($"{server.Pid}\n");
        Directory.GetFiles(_directory).Should().HaveCount(PlantedPids + 1, "no temporary file is left behind");

        // Swapped in while it runs: at exit the link is not gwserve's file, so it stays (and so does its target).
        File.Delete(pidFile);
        File.CreateSymbolicLink(pidFile, _victim);
        server.Signal(ProcessSignals.Term);
        (await server.WaitForExitAsync()).Should().Be(0);
        new FileInfo(pidFile).LinkTarget.Should().Be(_victim);
        AssertVictimUntouched();
    }

    [Fact]
    public async Task Unix_socket_mode_is_never_applied_through_a_link_renamed_over_the_socket_during_the_start()
    {
        string socket = Path.Combine(_directory, "app.sock");
        string link = Path.Combine(_directory, "swap");
        int swaps = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            File.Delete(socket);
            File.Delete(link);
            File.CreateSymbolicLink(link, _victim);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Task<bool> swapper = Task.Factory.StartNew(() => SwapWhenTheSocketAppears(socket, link, stop.Token), TaskCreationOptions.LongRunning);

            using GwserveProcess server = GwserveProcess.Launch([DeploymentApps.Hello, "--bind", $"unix:{socket}", "--unix-socket-mode", "666"]);
            try
            {
                swaps += await swapper ? 1 : 0;

                // The mode is set before the master says it listens.
                await server.WaitForLineAsync(l => l.Contains("Listening at: unix:", StringComparison.Ordinal));
            }
            finally
            {
                await stop.CancelAsync();
            }

            AssertVictimUntouched();
        }

        swaps.Should().Be(5, "each start, the link took the socket's name the moment it appeared");
    }

    [Fact]
    public async Task Unix_socket_mode_is_set_on_the_socket_before_bind_never_by_a_chmod_of_its_path()
    {
        // The race above is won only now and then on a busy machine; the system calls say it for every start.
        string socket = Path.Combine(_directory, "traced.sock");
        string trace = Path.Combine(_victimDirectory, "trace");
        using GwserveProcess server = GwserveProcess.LaunchWrapped(
            ["strace", "-f", "-qq", "-o", trace, "-e", "trace=chmod,fchmodat,fchmod"],
            [DeploymentApps.Hello, "--bind", $"unix:{socket}", "--unix-socket-mode", "660"]);

        await server.WaitForLineAsync(l => l.Contains("Listening at: unix:", StringComparison.Ordinal));

        string calls = File.ReadAllText(trace);
        calls.Should().MatchRegex(@"fchmod\(\d+, 0660\) *= 0", "the mode goes on the socket itself");
        calls.Should().NotContain(socket, "no chmod names the path");
    }

    [Fact]
    public async Task Unix_socket_gets_exactly_the_mode_asked_for_even_bits_the_umask_would_take_away()
    {
        string socket = Path.Combine(_directory, "app.sock");

        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1,
            "--bind", $"unix:{socket}", "--unix-socket-mode", "666", "--umask", "077");

        File.GetUnixFileMode(socket).Should().Be(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        File.ReadAllText(Path.Combine("/proc", server.Pid.ToString(CultureInfo.InvariantCulture), "status"))
            .Should().Contain("Umask:\t0077", "the umask is narrowed only for the bind");
    }

    /// <summary>
    /// The attacker, as fast as one can be: tries to exchange its link with the socket's name until the
    /// socket exists (one failing syscall a turn), so the link takes the name the moment bind creates it.
    /// </summary>
    private static bool SwapWhenTheSocketAppears(string socket, string link, CancellationToken stop)
    {
        const int AT_FDCWD = -100;
        const uint RENAME_EXCHANGE = 2;
        while (!stop.IsCancellationRequested)
        {
            if (renameat2(AT_FDCWD, link, AT_FDCWD, socket, RENAME_EXCHANGE) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private void AssertVictimUntouched()
    {
        File.ReadAllText(_victim).Should().Be(VictimText);
        File.GetUnixFileMode(_victim).Should().Be(VictimMode);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
