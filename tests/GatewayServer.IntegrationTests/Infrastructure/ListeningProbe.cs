using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>For a tool that prints nothing when it is ready (nginx, HAProxy): its loopback port is tried until it answers, or the tool exits.</summary>
public static class ListeningProbe
{
    public static async Task WaitAsync(Process process, int port, Func<Task<string>> whyExited)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}: {await whyExited()}");
            }

            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancel.Token);
            }
        }
    }
}
