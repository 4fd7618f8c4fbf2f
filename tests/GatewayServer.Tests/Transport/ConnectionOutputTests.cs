using System.Net.Sockets;
using GatewayServer.Tests.Gateway;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class ConnectionOutputTests
{
    /// <summary>More than the kernel's buffers on both ends of a loopback connection can hold, so a send has to wait.</summary>
    private const int MoreThanTheKernelHolds = 16 << 20;

    [Fact]
    public async Task A_send_the_client_does_not_read_is_overdue_after_its_deadline_and_one_it_reads_is_not()
    {
        using SocketPair pair = SocketPair.Open();
        pair.Client.ReceiveBufferSize = 4096;
        using var output = new ConnectionOutput(pair.Server, minSendRate: 1 << 20, sendGrace: TimeSpan.FromSeconds(1));
        byte[] response = new byte[MoreThanTheKernelHolds];

        Task sending = output.WriteDirectAsync(response).AsTask();
        sending.IsCompleted.Should().BeFalse("the client reads nothing, so the kernel cannot take it all");
        long now = Environment.TickCount64;
        output.IsSendOverdue(now).Should().BeFalse("the wait has only begun");
        output.IsSendOverdue(now + 1000 + 100).Should().BeTrue("a slice waits at most the grace at this rate");

        byte[] sink = new byte[1 << 20];
        for (long read = 0; read < response.Length;)
        {
            read += await pair.Client.ReceiveAsync(sink, SocketFlags.None);
        }

        await sending;
        output.IsSendOverdue(long.MaxValue).Should().BeFalse("nothing waits any more");
        output.BytesSent.Should().Be(response.Length);
    }

    [Fact]
    public void Pipelined_responses_gather_up_to_the_batch_limit()
    {
        using SocketPair pair = SocketPair.Open();
        using var output = new ConnectionOutput(pair.Server);

        output.Write(new byte[ConnectionOutput.BatchLimit - 1]);
        output.IsBatchFull.Should().BeFalse();
        output.Write(new byte[1]);
        output.IsBatchFull.Should().BeTrue();
    }
}
