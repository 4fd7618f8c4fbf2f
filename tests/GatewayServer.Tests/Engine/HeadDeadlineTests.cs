using GatewayServer.Engine;

namespace GatewayServer.Tests.Engine;

public sealed class HeadDeadlineTests
{
    private static readonly TimeSpan Header = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    [Fact]
    public void First_request_head_is_due_header_timeout_after_accept_however_it_trickles()
    {
        var deadline = new HeadDeadline(1000);
        deadline.Next(1000, partial: false, Header, KeepAlive).Should().Be(11_000);
        deadline.Next(5000, partial: true, Header, KeepAlive).Should().Be(11_000);
        deadline.Next(10_900, partial: true, Header, KeepAlive).Should().Be(11_000);
    }

    [Fact]
    public void Trickling_head_on_a_kept_alive_connection_does_not_move_its_deadline()
    {
        var deadline = new HeadDeadline(-1);
        deadline.Next(0, partial: false, Header, KeepAlive).Should().Be(5000);
        deadline.Next(3000, partial: true, Header, KeepAlive).Should().Be(13_000);
        deadline.Next(9000, partial: true, Header, KeepAlive).Should().Be(13_000);
        deadline.Next(12_999, partial: true, Header, KeepAlive).Should().Be(13_000);
    }
}
