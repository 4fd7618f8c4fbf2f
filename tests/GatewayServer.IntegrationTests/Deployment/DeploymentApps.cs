using System.Net;
using System.Net.Sockets;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>The apps these tests serve and small request helpers.</summary>
public static class DeploymentApps
{
    public static readonly string Hello = RepositoryLayout.Sample("HelloApp") + ":App";

    public static readonly string Supervision = RepositoryLayout.Sample("SupervisionApps") + ":App";

    public static async Task<RawResponse> GetAsync(int port, string path = "/")
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return await connection.ReadResponseAsync();
    }

    /// <summary>A port nothing listens on now (bound and released): for tools that cannot take port 0.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Runs a command to completion (bounded) and returns its exit code and standard output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancel.Token);
        Task<string> error = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
