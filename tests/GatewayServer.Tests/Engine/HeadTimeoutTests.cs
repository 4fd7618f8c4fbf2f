using System.Net.Sockets;
using GatewayServer.Engine;

namespace GatewayServer.Tests.Engine;

public sealed class HeadTimeoutTests
{
    [Fact]
    public void A_wait_with_a_token_is_cancelled_only_once_past_its_deadline()
    {
        using var pair = SocketPair.Open();
        HeadTimeout timeout = WaitWithToken(deadline: 1000, out CancellationToken token);

        timeout.Check(1000, pair.Server);
        token.IsCancellationRequested.Should().BeFalse();
        timeout.Expired.Should().BeFalse();

        timeout.Check(1001, pair.Server);
        token.IsCancellationRequested.Should().BeTrue();
        timeout.Expired.Should().BeTrue();
    }

    [Fact]
    public void A_stopped_wait_does_not_expire()
    {
        using var pair = SocketPair.Open();
        HeadTimeout timeout = WaitWithToken(deadline: 1000, out CancellationToken token);
        timeout.Stop();

        timeout.Check(5000, pair.Server);
        token.IsCancellationRequested.Should().BeFalse();
        timeout.Expired.Should().BeFalse();
    }

    [Fact]
    public async Task An_idle_wait_past_its_deadline_reads_end_of_stream_and_can_still_send()
    {
        using var pair = SocketPair.Open();
        var timeout = default(HeadTimeout);
        timeout.StartIdle(deadline: 1000).Should().BeTrue();
        ValueTask<int> wait = pair.Server.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

        timeout.Check(1001, pair.Server);
        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        (await pair.Server.ReceiveAsync(new byte[16], SocketFlags.None)).Should().Be(0, "the receive side was shut");
        timeout.Expired.Should().BeTrue();

        await pair.Server.SendAsync("bye"u8.ToArray(), SocketFlags.None);
        byte[] received = new byte[16];
        (await pair.Client.ReceiveAsync(received, SocketFlags.None)).Should().Be(3, "the send side stays open for the FIN");
    }

    [Fact]
    public void An_idle_wait_expired_before_it_began_is_refused()
    {
        using var pair = SocketPair.Open();
        var timeout = default(HeadTimeout);
        timeout.Expire(pair.Server);

        timeout.StartIdle(deadline: long.MaxValue).Should().BeFalse("nothing would end the wait: the worker stopped before it began");
    }

    private static HeadTimeout WaitWithToken(long deadline, out CancellationToken token)
    {
        var timeout = default(HeadTimeout);
        token = timeout.Token;
        timeout.Start(deadline);
        return timeout;
    }
}
