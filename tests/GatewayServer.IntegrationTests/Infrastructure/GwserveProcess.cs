using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>
/// The real gwserve executable as a child process. Start it, await a log line (never sleep),
/// talk to it, send it signals; Dispose kills it and every worker it started, by pid.
/// </summary>
public sealed partial class GwserveProcess : IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly HashSet<int> _seenWorkers = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private readonly bool _ownPidNamespace;

    private GwserveProcess(Process process, bool ownPidNamespace = false)
    {
        _process = process;
        _ownPidNamespace = ownPidNamespace;
    }

    public int Pid => _process.Id;

    /// <summary>The port of the first listener, from the "Listening at" line.</summary>
    public int Port { get; private set; }

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The ports of every listener, in the order of the "Listening at" lines.</summary>
    public IReadOnlyList<int> ListeningPorts =>
        [.. _lines.Select(l => ListeningPort().Match(l)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    public string Output => string.Join("\n", _lines);

    /// <summary>Starts <c>gwserve</c> (the built one, or <paramref name="executable"/>) with <paramref name="args"/> without waiting for anything.</summary>
    /// <param name="interruptsIgnored">
    /// Starts gwserve with SIGINT and SIGQUIT ignored, as a non-interactive shell starts a
    /// background job (<c>gwserve ... &amp;</c>), and SIGHUP ignored, as <c>nohup</c> does: a shell
    /// traps them and execs gwserve, so the pid is gwserve's.
    /// </param>
    /// <param name="executable">Another gwserve than the build's, e.g. a published one.</param>
    public static GwserveProcess Launch(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workingDirectory = null, bool interruptsIgnored = false, string? executable = null)
    {
        executable ??= RepositoryLayout.Gwserve;
        var info = new ProcessStartInfo(interruptsIgnored ? "/bin/sh" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryLayout.Root,
        };
        if (interruptsIgnored)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("trap '' INT QUIT HUP; exec \"$0\" \"$@\"");
            info.ArgumentList.Add(executable);
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("WEB_CONCURRENCY");
        info.Environment.Remove("PORT");
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return Start(info, ownPidNamespace: false);
    }

    /// <summary>
    /// Starts <c>gwserve</c> under <paramref name="wrapper"/> (e.g. <c>systemd-socket-activate -l ...</c>
    /// or <c>unshare --pid --fork --mount-proc</c>), which must exec or fork gwserve with the arguments that follow it.
    /// With <paramref name="ownPidNamespace"/> the pids gwserve logs are not this machine's: Dispose then
    /// kills the namespace's init (gwserve), which takes every process of the namespace with it.
    /// </summary>
    public static GwserveProcess LaunchWrapped(IEnumerable<string> wrapper, IEnumerable<string> args, IDictionary<string, string?>? environment = null, bool ownPidNamespace = false)
    {
        List<string> command = [.. wrapper];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryLayout.Root,
        };
        foreach (string arg in command.Skip(1).Append(RepositoryLayout.Gwserve).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("WEB_CONCURRENCY");
        info.Environment.Remove("PORT");
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return Start(info, ownPidNamespace);
    }

    private static GwserveProcess Start(ProcessStartInfo info, bool ownPidNamespace)
    {
        var process = new Process { StartInfo = info };
        var server = new GwserveProcess(process, ownPidNamespace);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts gwserve serving <paramref name="target"/> on a free loopback port and waits until it listens.</summary>
    public static Task<GwserveProcess> StartAsync(string target, params string[] options) =>
        StartAsync(target, environment: null, options);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, with extra environment variables for gwserve.</summary>
    public static async Task<GwserveProcess> StartAsync(string target, IDictionary<string, string?>? environment, params string[] options)
    {
        var server = Launch([target, "--bind", "127.0.0.1:0", .. options], environment);
        try
        {
            string line = await server.WaitForLineAsync(l => l.Contains("Listening at: http", StringComparison.Ordinal));
            server.Port = int.Parse(ListeningPort().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts gwserve and waits until <paramref name="workers"/> workers report ready.</summary>
    public static async Task<GwserveProcess> StartReadyAsync(string target, int workers, params string[] options)
    {
        GwserveProcess server = await StartAsync(target, ["--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options]);
        try
        {
            await server.WaitForReadyWorkersAsync(workers);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultWait);
        int checkedCount = 0;
        while (true)
        {
            string[] lines = [.. _lines];
            for (; checkedCount < lines.Length; checkedCount++)
            {
                if (match(lines[checkedCount]))
                {
                    return lines[checkedCount];
                }
            }

            try
            {
                await _lineArrived.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gwserve did not log the expected line in time. Output so far:\n{Output}");
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> distinct workers (ever) have logged that they are ready.</summary>
    public async Task WaitForReadyWorkersAsync(int count, TimeSpan? timeout = null)
    {
        int ready = 0;
        await WaitForLineAsync(line =>
        {
            if (line.Contains("Worker ready (pid: ", StringComparison.Ordinal))
            {
                ready++;
            }

            return ready >= count;
        }, timeout);
    }

    /// <summary>The pids of the worker processes alive now (children of the master).</summary>
    public IReadOnlyList<int> WorkerPids() => ChildrenOf(_process.Id);

    public void Signal(int signal) => ProcessSignals.Send(_process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultWait);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        List<int> pids = _ownPidNamespace ? [] : [.. _seenWorkers];
        if (!_process.HasExited)
        {
            pids.AddRange(ChildrenOf(_process.Id));
            ProcessSignals.Send(_process.Id, ProcessSignals.Kill);
        }

        foreach (int pid in pids)
        {
            ProcessSignals.Send(pid, ProcessSignals.Kill);
        }

        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        string tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return children;
        }

        foreach (string task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    children.Add(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return children;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        Match booting = BootingWorker().Match(line);
        if (booting.Success)
        {
            lock (_seenWorkers)
            {
                _seenWorkers.Add(int.Parse(booting.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        _lineArrived.Release();
    }

    [GeneratedRegex(@"Listening at: https?://[^ ]*:(\d+) ")]
    private static partial Regex ListeningPort();

    [GeneratedRegex(@"Booting worker with pid: (\d+)")]
    private static partial Regex BootingWorker();
}
