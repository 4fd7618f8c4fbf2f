using System.Globalization;

namespace GatewayServer.IntegrationTests.Samples;

/// <summary>Samples a process's resident memory (VmRSS in /proc/PID/status) until disposed, keeping the peak.</summary>
public sealed class ResidentMemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ResidentMemorySampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _loop = SampleAsync(interval);
    }

    public long PeakBytes { get; private set; }

    public int Samples { get; private set; }

    public static long? ReadResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    string kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return null;
    }

    /// <summary>Stops sampling; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            await _loop;
            return;
        }

        await _stop.CancelAsync();
        await _loop;
    }

    private async Task SampleAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                if (ReadResidentBytes(_pid) is { } bytes)
                {
                    PeakBytes = Math.Max(PeakBytes, bytes);
                    Samples++;
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
