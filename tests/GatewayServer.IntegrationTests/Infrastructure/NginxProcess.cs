using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>
/// A real nginx running <c>docs/deploy/nginx.conf</c> itself, with only its paths and ports
/// replaced: the doc and the test cannot drift apart. Runs as one foreground process
/// (<c>daemon off; master_process off;</c>) under a temporary prefix; Dispose kills it by pid.
/// </summary>
public sealed class NginxProcess : IDisposable
{
    private readonly Process _process;

    private NginxProcess(Process process, int httpPort, int httpsPort)
    {
        _process = process;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public static string DocumentedConfig => Path.Combine(RepositoryLayout.Root, "docs", "deploy", "nginx.conf");

    /// <summary>Starts nginx in <paramref name="directory"/>, proxying to <paramref name="upstream"/> (<c>unix:/path</c> or <c>127.0.0.1:port</c>).</summary>
    public static async Task<NginxProcess> StartAsync(string directory, string upstream, string certificate, string key)
    {
        int httpPort = FreePort();
        int httpsPort = FreePort();
        string config = Configure(File.ReadAllText(DocumentedConfig), directory, upstream, certificate, key, httpPort, httpsPort);
        string configPath = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(configPath, config);

        var info = new ProcessStartInfo("nginx")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log"), "-g", "daemon off; master_process off;" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start nginx");
        var nginx = new NginxProcess(process, httpPort, httpsPort);
        try
        {
            await nginx.WaitUntilListeningAsync(directory);
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    /// <summary>The documented config with this test's paths and ports; each replaced text must still be in the doc.</summary>
    public static string Configure(string documented, string directory, string upstream, string certificate, string key, int httpPort, int httpsPort)
    {
        (string From, string To)[] substitutions =
        [
            ("pid /run/nginx.pid;", $"pid {directory}/nginx.pid;"),
            ("error_log /var/log/nginx/error.log warn;", $"error_log {directory}/error.log warn;"),
            ("access_log /var/log/nginx/access.log combined;", $"access_log {directory}/access.log combined;\n    client_body_temp_path {directory}/body;\n    proxy_temp_path {directory}/proxy;"),
            ("server unix:/run/gwserve/gwserve.sock fail_timeout=0;", $"server {upstream} fail_timeout=0;"),
            ("listen 80;", $"listen 127.0.0.1:{httpPort};"),
            ("listen 443 ssl;", $"listen 127.0.0.1:{httpsPort} ssl;"),
            ("ssl_certificate /etc/ssl/certs/example.com.pem;", $"ssl_certificate {certificate};"),
            ("ssl_certificate_key /etc/ssl/private/example.com.key;", $"ssl_certificate_key {key};"),
        ];
        return ConfigSubstitution.Apply(documented, "nginx.conf", substitutions);
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

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private Task WaitUntilListeningAsync(string directory) =>
        ListeningProbe.WaitAsync(_process, HttpsPort, async () =>
        {
            string log = File.Exists(Path.Combine(directory, "error.log")) ? File.ReadAllText(Path.Combine(directory, "error.log")) : string.Empty;
            return await _process.StandardError.ReadToEndAsync() + log;
        });
}
