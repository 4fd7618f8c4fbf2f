using System.Globalization;

namespace GatewayServer.Master;

/// <summary>What the master reads about a worker from <c>/proc/PID/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>The resident set size (VmRSS) in bytes, or -1 when the process is gone or the line is missing.</summary>
    public static long ReadResidentBytes(int pid) => ReadBytesLine($"/proc/{pid}/status", "VmRSS:");

    /// <summary>The proportional set size (Pss, from <c>smaps_rollup</c>) in bytes, or -1 when the process is gone.</summary>
    public static long ReadProportionalBytes(int pid) => ReadBytesLine($"/proc/{pid}/smaps_rollup", "Pss:");

    /// <summary>The kB value on the line of <paramref name="path"/> that starts with <paramref name="name"/>, in bytes; -1 when absent.</summary>
    private static long ReadBytesLine(string path, string name)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    long kilobytes = ParseKilobytes(line.AsSpan(name.Length));
                    return kilobytes < 0 ? -1 : kilobytes * 1024;
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
