using System.Globalization;
using GatewayServer.IntegrationTests.Infrastructure;

namespace GatewayServer.IntegrationTests.Master;

/// <summary>
/// With <c>--reuse-port</c> each worker holds its own slot's listening socket and no other: a
/// worker that also held another slot's socket would keep it in the kernel's reuse-port group
/// after that slot's worker and the master closed theirs, and connections hashed to it would
/// never be accepted.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class ListenerInheritanceTests
{
    [Fact]
    public async Task Each_reuse_port_worker_holds_exactly_its_own_slot_s_listening_socket()
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(SupervisionApps.App, 3, "--reuse-port", "true");
        HashSet<string> listening = ListeningSocketInodes(server.Port);
        listening.Should().HaveCount(3, "one socket per slot");

        var held = new List<string>();
        foreach (int worker in server.WorkerPids())
        {
            string[] sockets = SocketInodesOf(worker).Where(listening.Contains).ToArray();
            sockets.Should().ContainSingle($"worker {worker} serves one slot");
            held.Add(sockets[0]);
        }

        held.Should().OnlyHaveUniqueItems().And.HaveCount(3);
    }

    private static HashSet<string> ListeningSocketInodes(int port)
    {
        string localPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>();
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1].EndsWith(localPort, StringComparison.Ordinal) && fields[3] == "0A")
            {
                inodes.Add(fields[9]);
            }
        }

        return inodes;
    }

    private static IEnumerable<string> SocketInodesOf(int pid)
    {
        foreach (string fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            string? target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                yield return target["socket:[".Length..^1];
            }
        }
    }
}
