using System.Net.Sockets;
using GatewayServer.Tests.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class ConnectionOutputTests
{
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

    private static readonly byte[] Answer = "HTTP/1.1 504 Gateway Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    [Fact]
    public async Task Taking_over_a_connection_whose_client_never_reads_returns_at_once_and_half_closes_it()
    {
        // The timeout sweep answers 504 this way, on the one thread that enforces every timeout:
        // a client that fills its receive window and stops reading must not hold it.
        using SocketPair pair = SocketPair.Open();
        pair.Server.SendBufferSize = 4096;
        pair.Client.ReceiveBufferSize = 4096;
        FillUntilFull(pair.Server);
        var output = new ConnectionOutput(pair.Server);

        // On another thread, so that a send that waits fails the test instead of hanging it (the
        // socket's disposal then ends the wait).
        Task<bool> answered = Task.Factory.StartNew(
            () => output.TryTakeOver(expectedBytesSent: 0, Answer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        (await Task.WhenAny(answered, Task.Delay(TimeSpan.FromSeconds(5)))).Should().Be(answered, "the sweep never waits on a client");
        (await answered).Should().BeTrue();
        Action send = () => pair.Server.Send(Answer);
        send.Should().Throw<SocketException>("the send side is shut once the connection is taken over");
    }

    [Fact]
    public void Taking_over_a_connection_sends_the_answer_and_half_closes()
    {
        using SocketPair pair = SocketPair.Open();
        var output = new ConnectionOutput(pair.Server);

        output.TryTakeOver(expectedBytesSent: 0, Answer).Should().BeTrue();

        var received = new MemoryStream();
        byte[] buffer = new byte[256];
        pair.Client.ReceiveTimeout = 10_000;
        for (int read; (read = pair.Client.Receive(buffer)) > 0;)
        {
            received.Write(buffer, 0, read);
        }

        received.ToArray().Should().Equal(Answer);
    }

    private static void FillUntilFull(Socket socket)
    {
        socket.Blocking = false;
        byte[] chunk = new byte[4096];
        while (true)
        {
            socket.Send(chunk, 0, chunk.Length, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }
        }

        socket.Blocking = true;
    }
}
