using System.Text;

namespace GatewayServer.Http.Response;

/// <summary>
/// The IMF-fixdate for the <c>Date</c> header (RFC 9110 section 6.6.1), formatted at most once a
/// second instead of once a response.
/// </summary>
public sealed class DateHeaderValue
{
    private readonly TimeProvider _time;
    private long _second = -1;
    private byte[] _line = [];

    public DateHeaderValue(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>The whole "Date: ...\r\n" line for the current second.</summary>
    public ReadOnlySpan<byte> Line
    {
        get
        {
            DateTimeOffset now = _time.GetUtcNow();
            long second = now.ToUnixTimeSeconds();
            byte[] line = Volatile.Read(ref _line);
            if (second != Volatile.Read(ref _second))
            {
                line = Encoding.ASCII.GetBytes("Date: " + now.ToString("r") + "\r\n");
                Volatile.Write(ref _line, line);
                Volatile.Write(ref _second, second);
            }

            return line;
        }
    }
}
