using System.Globalization;

namespace GatewayServer.Transport;

/// <summary>
/// systemd socket activation (sd_listen_fds(3)): when <c>LISTEN_PID</c> is this process,
/// <c>LISTEN_FDS</c> sockets start at descriptor 3, named by <c>LISTEN_FDNAMES</c> (colon-separated).
/// The variables are removed either way, as <c>sd_listen_fds(1)</c> does, so that no child mistakes
/// them for its own.
/// </summary>
public static class SocketActivation
{
    public const string PidVariable = "LISTEN_PID";
    public const string CountVariable = "LISTEN_FDS";
    public const string NamesVariable = "LISTEN_FDNAMES";

    /// <summary>sd_listen_fds(3): passed sockets always start here.</summary>
    public const int FirstDescriptor = 3;

    /// <summary>The sockets systemd passed to this process, or null when it passed none.</summary>
    public static IReadOnlyList<ActivatedSocket>? Take()
    {
        string? pid = Environment.GetEnvironmentVariable(PidVariable);
        string? count = Environment.GetEnvironmentVariable(CountVariable);
        string? names = Environment.GetEnvironmentVariable(NamesVariable);
        Environment.SetEnvironmentVariable(PidVariable, null);
        Environment.SetEnvironmentVariable(CountVariable, null);
        Environment.SetEnvironmentVariable(NamesVariable, null);
        return Parse(pid, count, names, Environment.ProcessId);
    }

    /// <summary>The sockets the three variables describe for process <paramref name="processId"/>, or null.</summary>
    public static IReadOnlyList<ActivatedSocket>? Parse(string? pid, string? count, string? names, int processId)
    {
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int listenPid) || listenPid != processId
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int listenFds) || listenFds <= 0)
        {
            return null;
        }

        string[] nameList = names?.Split(':') ?? [];
        var sockets = new List<ActivatedSocket>(listenFds);
        for (int i = 0; i < listenFds; i++)
        {
            sockets.Add(new ActivatedSocket(FirstDescriptor + i, i < nameList.Length && nameList[i].Length > 0 ? nameList[i] : "unknown"));
        }

        return sockets;
    }

    /// <summary>The names in <c>LISTEN_FDNAMES</c> form, for handing the sockets on (USR2).</summary>
    public static string FormatNames(IEnumerable<ActivatedSocket> sockets) => string.Join(":", sockets.Select(s => s.Name));
}
