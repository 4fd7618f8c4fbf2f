using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

[Collection(DeploymentCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessHygieneTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gwserve-hygiene-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Pid_file_holds_the_master_pid_while_it_runs_and_is_removed_at_exit()
    {
        string pidFile = Path.Combine(_directory, "gwserve.pid");
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1, "--pid", pidFile);

        File.ReadAllText(pidFile).Should().Be($"{server.Pid}\n");
        Directory.GetFiles(_directory).Should().ContainSingle("the file is written aside and renamed, leaving nothing else");
        server.Signal(ProcessSignals.Term);
        (await server.WaitForExitAsync()).Should().Be(0);

        File.Exists(pidFile).Should().BeFalse();
    }

    [Fact]
    public async Task Env_options_are_in_the_environment_the_app_sees()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Supervision, 1,
            "--env", "GREETING=hello=world", "--env", "OTHER=2");

        (await DeploymentApps.GetAsync(server.Port, "/env?GREETING")).BodyText.Should().Be("GREETING=hello=world\n");
        (await DeploymentApps.GetAsync(server.Port, "/env?OTHER")).BodyText.Should().Be("OTHER=2\n");
        (await DeploymentApps.GetAsync(server.Port, "/env?NOTIFY_SOCKET")).BodyText.Should().Be("NOTIFY_SOCKET=\n");
    }

    [RootFact]
    public async Task With_user_nobody_the_workers_run_as_nobody_while_the_master_stays_root()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1, "--user", "nobody");

        (await DeploymentApps.GetAsync(server.Port)).Status.Should().Be(200);
        Uids(server.Pid).Should().Be("0\t0\t0\t0");
        Uids(server.WorkerPids().Single()).Should().Be("65534\t65534\t65534\t65534");
    }

    [Fact]
    public async Task Umask_shapes_the_unix_socket_file()
    {
        string socket = Path.Combine(_directory, "umask.sock");
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1, "--bind", $"unix:{socket}", "--umask", "077");

        File.GetUnixFileMode(socket).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Unix_socket_replaces_a_stale_file_gets_its_mode_serves_curl_beside_tcp_and_is_removed_at_exit()
    {
        string socket = Path.Combine(_directory, "app.sock");
        using (var stale = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            // .NET unlinks the files of the sockets it bound when it closes them; a crashed server does not. Keep a link.
            stale.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socket + ".bound"));
            (await DeploymentApps.RunAsync("ln", socket + ".bound", socket)).ExitCode.Should().Be(0);
        }

        File.Exists(socket).Should().BeTrue("a closed socket leaves its file behind, as a crashed server does");
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(DeploymentApps.Hello, 1, "--bind", $"unix:{socket}", "--unix-socket-mode", "660");

        File.GetUnixFileMode(socket).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        (int exitCode, string output) = await DeploymentApps.RunAsync("curl", "-s", "--max-time", "10", "--unix-socket", socket, "http://localhost/");
        exitCode.Should().Be(0);
        output.Should().Be("Hello, World!");
        (await DeploymentApps.GetAsync(server.Port)).Status.Should().Be(200, "the TCP address given beside it serves too");

        server.Signal(ProcessSignals.Term);
        (await server.WaitForExitAsync()).Should().Be(0);
        File.Exists(socket).Should().BeFalse();
    }

    [Fact]
    public async Task A_regular_file_where_the_unix_socket_goes_is_left_alone_and_gwserve_exits_1()
    {
        string path = Path.Combine(_directory, "not-a-socket");
        File.WriteAllText(path, "precious");
        using GwserveProcess server = GwserveProcess.Launch([DeploymentApps.Hello, "--bind", $"unix:{path}"]);

        (await server.WaitForExitAsync()).Should().Be(1);
        server.Output.Should().Contain("exists and is not a socket");
        File.ReadAllText(path).Should().Be("precious");
    }

    [Fact]
    public async Task Fd_bind_serves_on_a_listening_socket_the_caller_passed_down()
    {
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(16);
        int port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
        int fd = (int)listener.SafeHandle.DangerousGetHandle();
        ClearCloseOnExec(fd);
        GwserveProcess server;
        try
        {
            server = GwserveProcess.Launch([DeploymentApps.Hello, "--bind", $"fd://{fd}"]);
        }
        finally
        {
            // Only gwserve was to inherit it.
            SetCloseOnExec(fd);
        }

        using (server)
        {
            await server.WaitForReadyWorkersAsync(1);
            server.Lines.Should().Contain(l => l.Contains($"Listening at: http://127.0.0.1:{port} ", StringComparison.Ordinal));
            (await DeploymentApps.GetAsync(port)).BodyText.Should().Be("Hello, World!");
        }
    }

    private static string Uids(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal))["Uid:".Length..].Trim();

    private static void ClearCloseOnExec(int fd) => Fcntl.SetFd(fd, Fcntl.GetFd(fd) & ~1);

    private static void SetCloseOnExec(int fd) => Fcntl.SetFd(fd, Fcntl.GetFd(fd) | 1);
}
