using System.Diagnostics;
using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Templates;

/// <summary>
/// A <c>dotnet</c> command run to completion (or started and left running) with its own
/// environment; output is collected, and a command that outlives its time is killed by pid,
/// together with the processes it started.
/// </summary>
public sealed class DotnetCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private DotnetCommand(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static DotnetCommand Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment)
        {
            info.Environment[key] = value;
        }

        var command = new DotnetCommand(new Process { StartInfo = info });
        command._process.OutputDataReceived += (_, e) => command.Record(e.Data);
        command._process.ErrorDataReceived += (_, e) => command.Record(e.Data);
        command._process.Start();
        command._process.BeginOutputReadLine();
        command._process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Runs a command to its end; throws with its output when it fails or takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        using DotnetCommand command = Start(workingDirectory, environment, args);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await command._process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"dotnet {string.Join(' ', args)} took longer than {timeout}:\n{command.Output}");
        }

        command._process.WaitForExit();
        if (command._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {command._process.ExitCode}:\n{command.Output}");
        }

        return command.Output;
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            string? found = Output.Split('\n').FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dotnet exited with {_process.ExitCode} before the expected line:\n{Output}");
            }

            try
            {
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(500), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the expected line did not come in time. Output so far:\n{Output}");
            }
        }
    }

    /// <summary>Kills the command and every process under it, deepest first, by pid.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            var tree = new List<int>();
            Collect(_process.Id, tree);
            tree.Reverse();
            foreach (int pid in tree)
            {
                ProcessSignals.Send(pid, ProcessSignals.Kill);
            }

            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static void Collect(int pid, List<int> tree)
    {
        tree.Add(pid);
        foreach (int child in GwserveProcess.ChildrenOf(pid))
        {
            Collect(child, tree);
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        _lineArrived.Release();
    }
}
