using System.Globalization;

namespace GatewayServer.Master;

/// <summary>What the master reads about a worker from <c>/proc/PID/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>The resident set size (VmRSS) in bytes, or -1 when the process is gone or the line is missing.</summary>
    public static long ReadResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return ParseKilobytes(line.AsSpan(6)) * 1024;
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The worker exited while we looked.
        }

        return -1;
    }

    /// <summary>Parses <c>"   123456 kB"</c>.</summary>
    public static long ParseKilobytes(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        int space = text.IndexOf(' ');
        ReadOnlySpan<char> number = space < 0 ? text : text[..space];
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : -1;
    }
}
