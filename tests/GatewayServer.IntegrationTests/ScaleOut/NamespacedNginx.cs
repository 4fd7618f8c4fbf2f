using System.Diagnostics;
using System.Net;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// A real nginx running <c>docs/deploy/nginx-upstream.conf</c> inside the hosts' lan namespace, on
/// the port the doc says (80, free there: the namespace is this test's), with only its file paths
/// substituted. One foreground process; Dispose kills it by pid.
/// </summary>
public sealed class NamespacedNginx : IDisposable
{
    public const int Port = 80;

    private readonly Process _process;

    private NamespacedNginx(Process process)
    {
        _process = process;
    }

    public static string DocumentedConfig => Path.Combine(RepositoryLayout.Root, "docs", "deploy", "nginx-upstream.conf");

    public static async Task<NamespacedNginx> StartAsync(string directory, string lanNamespace)
    {
        string configPath = Path.Combine(directory, "nginx-upstream.conf");
        File.WriteAllText(configPath, ConfigSubstitution.Apply(File.ReadAllText(DocumentedConfig), "nginx-upstream.conf",
        [
            ("pid /run/nginx-upstream.pid;", $"pid {directory}/nginx.pid;"),
            ("error_log /var/log/nginx/error.log warn;", $"error_log {directory}/error.log warn;"),
            ("access_log off;", $"access_log off;\n    client_body_temp_path {directory}/body;\n    proxy_temp_path {directory}/proxy;"),
        ]));
        var info = new ProcessStartInfo("ip", ["netns", "exec", lanNamespace, "nginx", "-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log"), "-g", "daemon off; master_process off;"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var nginx = new NamespacedNginx(Process.Start(info)!);
        try
        {
            await ListeningProbe.WaitAsync(nginx._process, new IPEndPoint(IPAddress.Parse(HostNetwork.LanAddress), Port),
                () => nginx._process.StandardError.ReadToEndAsync(), () => NetworkNamespaceSocket.Create(lanNamespace));
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
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
}
