namespace GatewayServer.Master;

/// <summary>
/// Whether the kernel moves the connections queued on a closing <c>SO_REUSEPORT</c> socket to
/// another socket of its group, instead of resetting them: <c>net.ipv4.tcp_migrate_req</c>
/// (Linux 5.14 and later, per network namespace). gwserve reads it, and warns when it is off; it
/// does not set it, since it is the machine's setting, not the server's.
/// </summary>
public static class RequestMigration
{
    public const string Sysctl = "net.ipv4.tcp_migrate_req";

    /// <summary>True when <c>/proc/sys/net/ipv4/tcp_migrate_req</c> says 1; false when it says 0 or does not exist (older kernels).</summary>
    public static bool IsOn(string path = "/proc/sys/net/ipv4/tcp_migrate_req")
    {
        try
        {
            return File.ReadAllText(path).Trim() == "1";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
