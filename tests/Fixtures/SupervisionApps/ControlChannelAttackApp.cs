using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using GatewayServer;

namespace SupervisionApps;

/// <summary>
/// A compromised worker: it finds its own end of the master's control channel the way any code in
/// the worker can (the descriptor number is in the environment the process started with,
/// <c>/proc/self/environ</c>, even after the worker removed the variable) and writes to it.
/// <c>/flood</c> writes bytes without a newline until the master stops reading (up to 1 GiB);
/// <c>/burst</c> writes 1,000 well-formed heartbeats at once; <c>/say?TEXT</c> writes TEXT
/// (<c>+</c> for spaces) as one line. Every path answers <c>pid N</c> if the worker is still there.
/// </summary>
public sealed partial class ControlChannelAttackApp : IGatewayApplication
{
    private const string ControlVariable = "GWSERVE_WORKER_CONTROL_FD=";

    private static readonly KeyValuePair<string, string>[] Headers = [new("Content-Type", "text/plain")];

    public IEnumerable<ReadOnlyMemory<byte>> Invoke(IDictionary<string, object?> environ, StartResponse startResponse)
    {
        string path = (string)environ[EnvironKeys.PathInfo]!;
        string query = (string)environ[EnvironKeys.QueryString]!;
        int control = ControlDescriptor();
        switch (path)
        {
            case "/flood":
                byte[] chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'x');
                for (long sent = 0; sent < 1L << 30 && WriteAll(control, chunk); sent += chunk.Length)
                {
                }

                break;
            case "/burst":
                for (int i = 1; i <= 1000; i++)
                {
                    WriteAll(control, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"status {i} 0\n")));
                }

                break;
            case "/say":
                WriteAll(control, Encoding.UTF8.GetBytes(query.Replace('+', ' ') + "\n"));
                break;
        }

        startResponse("200 OK", Headers);
        return [Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}\n"))];
    }

    /// <summary>write(2) to the worker's descriptor, which the worker made non-blocking: waits out a full socket buffer; false once the master closed its end.</summary>
    private static unsafe bool WriteAll(int fd, byte[] bytes)
    {
        const int EAGAIN = 11;
        fixed (byte* start = bytes)
        {
            for (int written = 0; written < bytes.Length;)
            {
                nint count = write(fd, start + written, bytes.Length - written);
                if (count > 0)
                {
                    written += (int)count;
                }
                else if (Marshal.GetLastPInvokeError() == EAGAIN)
                {
                    Thread.Sleep(1);
                }
                else
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int ControlDescriptor()
    {
        foreach (string entry in File.ReadAllText("/proc/self/environ").Split('\0'))
        {
            if (entry.StartsWith(ControlVariable, StringComparison.Ordinal))
            {
                return int.Parse(entry.AsSpan(ControlVariable.Length), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("not started as a gwserve worker");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);
}
