using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// A real HAProxy running <c>docs/deploy/haproxy.cfg</c> itself, with only its listening address,
/// admin socket and servers' namespace substituted: the doc and the tests cannot drift apart. It runs
/// in this machine's namespace on 127.0.0.1, and opens its connections to the servers (and their
/// health checks) inside the hosts' lan namespace. Dispose kills it by pid.
/// </summary>
public sealed class HAProxyProcess : IDisposable
{
    /// <summary>The backend's name in the documented config.</summary>
    public const string Backend = "gwserve";

    private readonly Process _process;
    private readonly string _adminSocket;

    private HAProxyProcess(Process process, int port, string adminSocket)
    {
        _process = process;
        Port = port;
        _adminSocket = adminSocket;
    }

    public int Port { get; }

    /// <summary>Standard output and error: server state changes and the requests that went wrong.</summary>
    public TimedLines Lines { get; } = new();

    public static string DocumentedConfig => Path.Combine(RepositoryLayout.Root, "docs", "deploy", "haproxy.cfg");

    public static async Task<HAProxyProcess> StartAsync(string directory, string lanNamespace, int hosts)
    {
        int port = Deployment.DeploymentApps.FreePort();
        string adminSocket = Path.Combine(directory, "admin.sock");
        string configPath = Path.Combine(directory, "haproxy.cfg");
        File.WriteAllText(configPath, Configure(File.ReadAllText(DocumentedConfig), port, adminSocket, lanNamespace, hosts));

        var info = new ProcessStartInfo("haproxy", ["-db", "-f", configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("cannot start haproxy (apt-get install haproxy; .ci/run installs it): " + error.Message, error);
        }

        var haproxy = new HAProxyProcess(process, port, adminSocket);
        process.OutputDataReceived += (_, e) => haproxy.Lines.Add(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Lines.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ListeningProbe.WaitAsync(process, port, () => Task.FromResult(haproxy.Lines.Text));
            return haproxy;
        }
        catch
        {
            haproxy.Dispose();
            throw;
        }
    }

    /// <summary>The documented config with this test's address, socket and namespace; each replaced text must still be in the doc.</summary>
    public static string Configure(string documented, int port, string adminSocket, string lanNamespace, int hosts)
    {
        List<(string From, string To)> substitutions =
        [
            ("bind :80", $"bind 127.0.0.1:{port}"),
            ("stats socket /run/haproxy/admin.sock", $"stats socket {adminSocket}"),
        ];
        for (int i = 0; i < 3; i++)
        {
            string server = $"server {ServerName(i)} {HostNetwork.HostAddress(i)}:{ScaleOutCluster.AppPort}";
            substitutions.Add((server + "\n", i < hosts ? $"{server} namespace {lanNamespace}\n" : string.Empty));
        }

        return ConfigSubstitution.Apply(documented, "haproxy.cfg", substitutions);
    }

    public static string ServerName(int index) => $"h{index + 1}";

    /// <summary>Waits for HAProxy to log that host <paramref name="index"/> went <c>DOWN</c> or <c>UP</c> after <paramref name="since"/>; returns when the line came.</summary>
    public Task<long> WaitForServerAsync(int index, string state, long since, TimeSpan timeout) =>
        Lines.WaitForAsync($"Server {Backend}/{ServerName(index)} is {state}", since, timeout);

    /// <summary>The 2xx responses each server gave, from the admin socket's <c>show stat</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> SuccessfulResponsesAsync()
    {
        string[] rows = (await AdminAsync("show stat")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = rows[0].TrimStart('#', ' ').Split(',');
        int proxy = Array.IndexOf(header, "pxname");
        int server = Array.IndexOf(header, "svname");
        int ok = Array.IndexOf(header, "hrsp_2xx");
        var counts = new Dictionary<string, long>();
        foreach (string[] row in rows.Skip(1).Select(r => r.Split(',')))
        {
            if (row[proxy] == Backend && row[server] is not ("BACKEND" or "FRONTEND"))
            {
                counts[row[server]] = long.Parse(row[ok], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return counts;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            ProcessSignals.Send(_process.Id, ProcessSignals.Kill);
        }

        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    private async Task<string> AdminAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_adminSocket));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(cancel.Token);
    }
}
