using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>For a tool that prints nothing when it is ready (nginx, HAProxy): its port is tried until it answers, or the tool exits.</summary>
public static class ListeningProbe
{
    public static Task WaitAsync(Process process, int port, Func<Task<string>> whyExited) =>
        WaitAsync(process, new IPEndPoint(IPAddress.Loopback, port), whyExited, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>As above, at <paramref name="endpoint"/> with sockets from <paramref name="createSocket"/> (e.g. in a network namespace).</summary>
    public static async Task WaitAsync(Process process, EndPoint endpoint, Func<Task<string>> whyExited, Func<Socket> createSocket)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}: {await whyExited()}");
            }

            using Socket probe = createSocket();
            try
            {
                await probe.ConnectAsync(endpoint, cancel.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancel.Token);
            }
        }
    }
}
