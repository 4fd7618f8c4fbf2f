using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using GatewayServer.Configuration;
using GatewayServer.Master;
using GatewayServer.Operations;

namespace GatewayServer.Cli;

/// <summary>
/// <c>gwserve ctl</c>: sends one command to a running master's control socket
/// (<c>--control-socket</c>) and prints the answer, as Gunicorn's gunicornc or pumactl do.
/// Exit code 0 when the master says ok, 1 when it refuses, 2 for a usage error.
/// </summary>
internal static class ControlCommandLine
{
    private static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var socket = new Option<string>("--socket", "-s")
        {
            Description = $"The master's control socket [default: --control-socket from {Settings.ControlSocket.EnvironmentVariable} or {ConfigFile.DefaultName}]",
            HelpName = "PATH",
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON, for scripts." };
        var graceful = new Option<bool>("--graceful") { Description = "Drain as SIGTERM does (honours --shutdown-delay), rather than stop at once as SIGQUIT does." };
        var count = new Argument<int>("N") { Description = "How many workers." };
        var root = new RootCommand("gwserve ctl: operate a running gwserve master through its control socket (--control-socket).") { socket };
        root.Add(new Command("status", "The pool and a table of its workers: pid, generation, age, state, requests, open connections, RSS, last heartbeat.") { json });
        root.Add(new Command("workers", "The table of workers alone.") { json });
        root.Add(new Command("stats", "The pool's totals: requests, connections, errors, bytes, restarts, reloads.") { json });
        root.Add(new Command("reload", "A rolling reload, as SIGHUP."));
        root.Add(new Command("add", "Run N more workers, as N × SIGTTIN.") { count });
        root.Add(new Command("remove", "Run N fewer workers, as N × SIGTTOU.") { count });
        root.Add(new Command("reopen-logs", "Reopen the log files, as SIGUSR1."));
        root.Add(new Command("stop", "Stop the master: at once (SIGQUIT), or with --graceful as SIGTERM.") { graceful });

        ParseResult parsed = root.Parse(args);
        if (parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
        {
            return await parsed.InvokeAsync().ConfigureAwait(false);
        }

        if (parsed.Errors.Count > 0 || parsed.CommandResult.Command == root)
        {
            return Fail(parsed.Errors.Count > 0 ? $"{parsed.Errors[0].Message} (see gwserve ctl --help)" : "no command given (see gwserve ctl --help)", ExitCodes.Usage);
        }

        Command command = parsed.CommandResult.Command;
        string line = command.Name;
        if (command.Name is "add" or "remove")
        {
            line += " " + parsed.GetValue(count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (parsed.GetValue(json))
        {
            line += " --json";
        }

        if (parsed.GetValue(graceful))
        {
            line += " --graceful";
        }

        string? path = parsed.GetValue(socket) ?? ConfiguredSocket();
        if (string.IsNullOrEmpty(path))
        {
            return Fail($"no control socket: pass --socket PATH, or set {Settings.ControlSocket.EnvironmentVariable} or control-socket in {ConfigFile.DefaultName}", ExitCodes.Usage);
        }

        try
        {
            ControlRequest.Parse(line);
        }
        catch (FormatException error)
        {
            return Fail(error.Message, ExitCodes.Usage);
        }

        string answer;
        try
        {
            answer = await AskAsync(path, line).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or IOException or OperationCanceledException)
        {
            return Fail($"cannot talk to the master at {path}: {error.Message}", 1);
        }

        if (answer.StartsWith("error: ", StringComparison.Ordinal))
        {
            Console.Error.Write("gwserve ctl: " + answer);
            return 1;
        }

        Console.Out.Write(answer);
        return ExitCodes.Success;
    }

    private static async Task<string> AskAsync(string path, string line)
    {
        using var cancel = new CancellationTokenSource(AnswerDeadline);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel.Token).ConfigureAwait(false);
        await client.SendAsync(Encoding.UTF8.GetBytes(line + "\n"), SocketFlags.None, cancel.Token).ConfigureAwait(false);
        using var answer = new MemoryStream();
        byte[] buffer = new byte[8192];
        while (await client.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).ConfigureAwait(false) is > 0 and int received)
        {
            answer.Write(buffer, 0, received);
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }

    /// <summary>The control socket the master would use here: from the environment or the config file.</summary>
    private static string? ConfiguredSocket()
    {
        if (Environment.GetEnvironmentVariable(Settings.ControlSocket.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        string? configPath = Environment.GetEnvironmentVariable(ConfigFile.EnvironmentVariable) ?? (File.Exists(ConfigFile.DefaultName) ? ConfigFile.DefaultName : null);
        try
        {
            return configPath is not null && ConfigFile.Read(configPath).TryGetValue(Settings.ControlSocket, out IReadOnlyList<string>? value) && value.Count > 0 ? value[0] : null;
        }
        catch (SettingException)
        {
            return null;
        }
    }

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"gwserve ctl: error: {message}");
        return exitCode;
    }
}
