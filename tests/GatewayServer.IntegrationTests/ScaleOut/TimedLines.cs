using System.Diagnostics;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// Output lines of a process with the moment each arrived (<see cref="Stopwatch.GetTimestamp"/>), so a
/// test can await a line and tell how long after an event of its own it came.
/// </summary>
public sealed class TimedLines
{
    private readonly List<(long At, string Text)> _lines = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public string Text
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines.Select(l => l.Text));
            }
        }
    }

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add((Stopwatch.GetTimestamp(), line));
        }

        _arrived.Release();
    }

    /// <summary>Waits for a line containing <paramref name="text"/> that arrived after <paramref name="since"/>; returns when it arrived.</summary>
    public async Task<long> WaitForAsync(string text, long since, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        int checkedCount = 0;
        while (true)
        {
            lock (_lines)
            {
                for (; checkedCount < _lines.Count; checkedCount++)
                {
                    (long at, string line) = _lines[checkedCount];
                    if (at >= since && line.Contains(text, StringComparison.Ordinal))
                    {
                        return at;
                    }
                }
            }

            try
            {
                await _arrived.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no line \"{text}\" within {timeout.TotalSeconds}s. Output so far:\n{Text}");
            }
        }
    }
}
