using System.Globalization;
using System.Text;
using GatewayServer;

namespace SupervisionApps;

/// <summary>
/// Answers <c>pid N</c>, after misbehaving as the path asks:
/// <c>/sleep?ms=N</c> blocks its thread, <c>/spin</c> spins forever, <c>/wedge</c> blocks every
/// thread of the pool forever, <c>/allocate?mb=N</c> keeps N more MiB alive.
/// <c>/orphan</c> starts <c>sh -c 'sleep 0.2 &amp;'</c>, which exits at once and leaves the sleep
/// to whoever reaps orphans, and answers <c>orphan PID</c> (the sleep's pid, as this namespace numbers it);
/// <c>/env?NAME</c> answers <c>NAME=value</c> from the worker's environment.
/// </summary>
public sealed class App : IGatewayApplication
{
    private static readonly List<byte[]> Kept = [];

    private static readonly KeyValuePair<string, string>[] Headers = [new("Content-Type", "text/plain")];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string path = (string)environ[EnvironKeys.PathInfo]!;
        int argument = Argument((string)environ[EnvironKeys.QueryString]!);
        switch (path)
        {
            case "/orphan":
                return Reply(startResponse, $"orphan {StartOrphan()}\n");
            case "/env":
                string name = (string)environ[EnvironKeys.QueryString]!;
                return Reply(startResponse, $"{name}={Environment.GetEnvironmentVariable(name)}\n");
            case "/sleep":
                Thread.Sleep(argument);
                break;
            case "/spin":
                Spin();
                break;
            case "/wedge":
                Wedge();
                break;
            case "/allocate":
                Allocate(argument);
                break;
        }

        startResponse("200 OK", Headers);
        return [Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}\n"))];
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Reply(StartResponse startResponse, string text)
    {
        startResponse("200 OK", Headers);
        return [Encoding.UTF8.GetBytes(text)];
    }

    private static string StartOrphan()
    {
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("sleep 0.2 >/dev/null 2>&1 & echo $!");
        using System.Diagnostics.Process shell = System.Diagnostics.Process.Start(info)!;
        string pid = shell.StandardOutput.ReadToEnd().Trim();
        shell.WaitForExit();
        return pid;
    }

    private static int Argument(string query)
    {
        int equals = query.IndexOf('=', StringComparison.Ordinal);
        return equals >= 0 && int.TryParse(query.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : 0;
    }

    private static void Spin()
    {
        while (true)
        {
            Thread.SpinWait(1000);
        }
    }

    /// <summary>Occupies every thread the pool may have, so no work item (the worker's heartbeat included) runs again.</summary>
    private static void Wedge()
    {
        ThreadPool.GetMaxThreads(out int threads, out _);
        for (int i = 0; i < threads; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static _ => Thread.Sleep(Timeout.Infinite), null);
        }

        Thread.Sleep(Timeout.Infinite);
    }

    private static void Allocate(int mebibytes)
    {
        for (int i = 0; i < mebibytes; i++)
        {
            byte[] block = new byte[1024 * 1024];
            Array.Fill(block, (byte)1);
            lock (Kept)
            {
                Kept.Add(block);
            }
        }
    }
}
