using GatewayServer.Engine;
using GatewayServer.Http;

namespace GatewayServer.Tests.Engine;

/// <summary>
/// The connection's one timeout, driven method by method in the order the connection and the
/// sweep would call them: no clock, no threads. The race tests interleave the sweep's two halves
/// (<see cref="TimeoutControl.FindDue"/> and <see cref="TimeoutControl.TryClaim"/>) with the
/// connection moving on, in every order that matters.
/// </summary>
public sealed class TimeoutControlTests
{
    private static readonly TimeSpan Header = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    private static readonly HttpLimits BodyLimits = new()
    {
        MinBodyDataRate = 100,
        MinBodyDataRateGrace = TimeSpan.FromSeconds(2),
        BodyReadTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void The_first_requests_idle_wait_ends_header_timeout_after_accept_without_a_token()
    {
        TimeoutControl control = Control(acceptedAt: 1000);
        control.BeginHead(first: true);
        control.StartIdleWait(now: 4000).Should().BeTrue();

        control.Check(11_000).Reason.Should().Be(TimeoutReason.None);
        control.Check(11_001).Reason.Should().Be(TimeoutReason.KeepAlive, "the connection shuts the receive side: nothing was received, so nothing is answered");
        control.Expired.Should().Be(TimeoutReason.None, "an idle wait takes no token");
        control.Check(60_000).Reason.Should().Be(TimeoutReason.None, "an expiry fires once");
    }

    [Fact]
    public void The_first_requests_head_is_due_header_timeout_after_accept_however_it_trickles()
    {
        TimeoutControl control = Control(acceptedAt: 1000);
        control.BeginHead(first: true);
        CancellationToken token = control.Token;
        control.StartHeadWait(now: 5000);
        control.StopWait().Should().Be(TimeoutReason.None);
        control.StartHeadWait(now: 10_900);

        control.Check(11_000).Reason.Should().Be(TimeoutReason.None);
        token.IsCancellationRequested.Should().BeFalse();
        control.Check(11_001).Reason.Should().Be(TimeoutReason.RequestHead);
        token.IsCancellationRequested.Should().BeTrue("the wait is ended through its token and answered 408");
        control.Expired.Should().Be(TimeoutReason.RequestHead);
    }

    [Fact]
    public void The_handshake_counts_against_the_first_heads_deadline_from_accept()
    {
        TimeoutControl control = Control(acceptedAt: 1000);
        CancellationToken token = control.Token;
        control.StartHandshake();

        control.Check(11_000).Reason.Should().Be(TimeoutReason.None);
        control.Check(11_001).Reason.Should().Be(TimeoutReason.RequestHead);
        token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void A_kept_alive_connection_idles_keep_alive_and_a_trickling_head_never_moves_its_deadline()
    {
        TimeoutControl control = Control(acceptedAt: 0);
        control.BeginHead(first: false);
        control.StartIdleWait(now: 0).Should().BeTrue();
        control.FindDue(5001).Reason.Should().Be(TimeoutReason.KeepAlive);
        control.StopWait().Should().Be(TimeoutReason.None);

        control.StartHeadWait(now: 3000);
        control.StopWait();
        control.StartHeadWait(now: 9000);
        control.StopWait();
        control.StartHeadWait(now: 12_999);
        control.Check(13_000).Reason.Should().Be(TimeoutReason.None);
        control.Check(13_001).Reason.Should().Be(TimeoutReason.RequestHead, "the head's deadline was fixed by its first byte, at 3 s");
    }

    [Fact]
    public void A_stopped_wait_never_expires()
    {
        TimeoutControl control = Control(acceptedAt: 0);
        CancellationToken token = control.Token;
        control.BeginHead(first: true);
        control.StartHeadWait(now: 0);
        control.StopWait().Should().Be(TimeoutReason.None);

        control.Check(60_000).Reason.Should().Be(TimeoutReason.None);
        token.IsCancellationRequested.Should().BeFalse();
        control.Expired.Should().Be(TimeoutReason.None);
    }

    [Fact]
    public void An_idle_wait_the_worker_aborted_before_it_began_is_refused()
    {
        TimeoutControl control = Control(acceptedAt: 0);
        control.Abort().Should().BeFalse("no idle wait was timed");

        control.StartIdleWait(now: 0).Should().BeFalse("nothing would end the wait: the worker gave the connection up before it began");
        control.IsAborted.Should().BeTrue();
    }

    [Fact]
    public void Aborting_an_idle_wait_asks_for_the_receive_side_to_be_shut_and_a_head_wait_is_cancelled()
    {
        TimeoutControl idle = Control(acceptedAt: 0);
        idle.StartIdleWait(now: 0).Should().BeTrue();
        idle.Abort().Should().BeTrue("an idle wait takes no token");

        TimeoutControl waiting = Control(acceptedAt: 0);
        CancellationToken token = waiting.Token;
        waiting.StartHeadWait(now: 0);
        waiting.Abort().Should().BeFalse();
        token.IsCancellationRequested.Should().BeTrue();
        Control(acceptedAt: 0).Token.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void A_request_past_its_timeout_expires_once_then_is_abandoned_at_twice_the_timeout()
    {
        TimeoutControl control = Control(acceptedAt: 0, request: TimeSpan.FromSeconds(1));
        control.BeginRequest(now: 1000, sentBefore: 42);
        control.RequestStartedAt.Should().Be(1000);

        control.Check(2000).Reason.Should().Be(TimeoutReason.None);
        TimeoutExpiry expired = control.Check(2001);
        expired.Reason.Should().Be(TimeoutReason.Request);
        expired.RequestStartedAt.Should().Be(1000);
        expired.SentBefore.Should().Be(42, "the 504 goes out only if nothing of the response did");
        control.Check(2500).Reason.Should().Be(TimeoutReason.None, "the 504 is answered once");
        control.Check(3001).Reason.Should().Be(TimeoutReason.RequestAbandoned);
        control.Check(60_000).Reason.Should().Be(TimeoutReason.None);

        control.EndRequest().Should().BeFalse("a request that timed out does not let its connection carry another");
        control.RequestStartedAt.Should().Be(0);
    }

    [Fact]
    public void Without_a_request_timeout_a_request_never_expires()
    {
        TimeoutControl control = Control(acceptedAt: 0);
        control.BeginRequest(now: 0, sentBefore: 0);

        control.Check(long.MaxValue / 2).Reason.Should().Be(TimeoutReason.None);
        control.EndRequest().Should().BeTrue();
    }

    [Fact]
    public void A_sweep_that_read_one_requests_deadline_never_fires_on_the_next_request()
    {
        TimeoutControl control = Control(acceptedAt: 0, request: TimeSpan.FromSeconds(1));
        control.BeginRequest(now: 0, sentBefore: 0);
        TimeoutExpiry due = control.FindDue(1500);
        due.Reason.Should().Be(TimeoutReason.Request);

        // The connection finishes the request and begins the next before the sweep claims.
        control.EndRequest().Should().BeTrue();
        control.BeginRequest(now: 1500, sentBefore: 100);

        control.TryClaim(due).Should().BeFalse("the request it judged is over");
        control.Check(2500).Reason.Should().Be(TimeoutReason.None, "the next request has its own second");
        control.Check(2501).Reason.Should().Be(TimeoutReason.Request);
    }

    [Fact]
    public void A_sweep_that_read_one_heads_deadline_never_cancels_the_next_heads_wait()
    {
        TimeoutControl control = Control(acceptedAt: 0);
        CancellationToken token = control.Token;
        control.BeginHead(first: true);
        control.StartHeadWait(now: 0);
        TimeoutExpiry due = control.FindDue(10_001);
        due.Reason.Should().Be(TimeoutReason.RequestHead);

        // The head completes, its request is served, and the next head's wait begins.
        control.StopWait().Should().Be(TimeoutReason.None);
        control.BeginRequest(now: 10_001, sentBefore: 0);
        control.EndRequest().Should().BeTrue();
        control.BeginHead(first: false);
        control.StartHeadWait(now: 10_001);

        control.TryClaim(due).Should().BeFalse();
        token.IsCancellationRequested.Should().BeFalse();
        control.Expired.Should().Be(TimeoutReason.None);
    }

    [Fact]
    public void A_sweep_that_read_an_idle_wait_never_ends_the_request_that_woke_it()
    {
        TimeoutControl control = Control(acceptedAt: 0);
        control.BeginHead(first: false);
        control.StartIdleWait(now: 0);
        TimeoutExpiry due = control.FindDue(5001);
        due.Reason.Should().Be(TimeoutReason.KeepAlive);

        control.StopWait().Should().Be(TimeoutReason.None, "bytes came before the sweep claimed");
        control.BeginRequest(now: 5001, sentBefore: 0);

        control.TryClaim(due).Should().BeFalse("the receive side of a connection serving a request is never shut");
    }

    [Fact]
    public void A_body_expiry_found_during_one_request_never_fires_on_the_next()
    {
        TimeoutControl control = Control(acceptedAt: 0, limits: BodyLimits);
        CancellationToken token = control.Token;
        control.BeginRequest(now: 0, sentBefore: 0);
        control.StartReading(now: 0);
        TimeoutExpiry due = control.FindDue(10_001);
        due.Reason.Should().Be(TimeoutReason.BodyRead);

        control.StopReading(now: 10_001, received: 0);
        control.EndRequest().Should().BeTrue();
        control.BeginRequest(now: 10_001, sentBefore: 0);
        control.StartReading(now: 10_001);

        control.TryClaim(due).Should().BeFalse();
        token.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void A_wait_the_sweep_claimed_as_it_ended_reports_the_expiry_to_the_connection()
    {
        TimeoutControl head = Control(acceptedAt: 0);
        head.BeginHead(first: true);
        head.StartHeadWait(now: 0);
        head.Check(10_001).Reason.Should().Be(TimeoutReason.RequestHead);
        head.StopWait().Should().Be(TimeoutReason.RequestHead, "the connection answers 408 even though its read returned bytes");
        head.Expired.Should().Be(TimeoutReason.RequestHead);

        TimeoutControl idle = Control(acceptedAt: 0);
        idle.BeginHead(first: false);
        idle.StartIdleWait(now: 0);
        idle.Check(5001).Reason.Should().Be(TimeoutReason.KeepAlive);
        idle.StopWait().Should().Be(TimeoutReason.KeepAlive, "the connection closes: its receive side is shut");
    }

    [Fact]
    public void A_request_whose_body_expired_does_not_let_its_connection_carry_another()
    {
        TimeoutControl control = Control(acceptedAt: 0, limits: BodyLimits);
        control.BeginRequest(now: 0, sentBefore: 0);
        control.StartReading(now: 0);
        control.Check(10_001).Reason.Should().Be(TimeoutReason.BodyRead);

        control.EndRequest().Should().BeFalse();
    }

    [Fact]
    public void Body_arriving_below_the_minimum_rate_expires_after_the_grace_period()
    {
        TimeoutControl control = RequestWithBody(BodyLimits);
        CancellationToken token = control.Token;
        control.StartReading(now: 1000);
        control.Check(2500).Reason.Should().Be(TimeoutReason.None, "still inside the grace period");
        control.StopReading(now: 2900, received: 50);
        control.StartReading(now: 2900);

        control.Check(3500).Reason.Should().Be(TimeoutReason.BodyRead, "50 bytes in 2.5 s is below 100 bytes/s");
        control.Expired.Should().Be(TimeoutReason.BodyRead);
        token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void A_token_taken_after_an_expiry_is_cancelled_already()
    {
        TimeoutControl control = RequestWithBody(BodyLimits);
        control.StartReading(now: 0);
        control.Check(10_001).Reason.Should().Be(TimeoutReason.BodyRead, "the read waited past the 10 s body read timeout");

        control.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void Body_arriving_at_the_minimum_rate_never_expires()
    {
        TimeoutControl control = RequestWithBody(BodyLimits);
        long now = 1000;
        for (int second = 0; second < 20; second++)
        {
            control.StartReading(now);
            control.Check(now + 900).Reason.Should().Be(TimeoutReason.None);
            now += 1000;
            control.StopReading(now, 200);
        }
    }

    [Fact]
    public void Time_the_application_spends_not_reading_does_not_count()
    {
        TimeoutControl control = RequestWithBody(BodyLimits);
        control.StartReading(now: 0);
        control.StopReading(now: 100, received: 10);

        control.Check(60_000).Reason.Should().Be(TimeoutReason.None, "nobody is waiting for the client");
    }

    [Fact]
    public void A_read_waiting_longer_than_the_body_read_timeout_expires_even_above_the_rate()
    {
        TimeoutControl control = RequestWithBody(BodyLimits with { MinBodyDataRate = 0 });
        control.StartReading(now: 0);
        control.StopReading(now: 10, received: 1_000_000);
        control.StartReading(now: 10);

        control.Check(9000).Reason.Should().Be(TimeoutReason.None);
        control.Check(10_011).Reason.Should().Be(TimeoutReason.BodyRead);
    }

    [Fact]
    public void Disabled_body_checks_never_expire()
    {
        TimeoutControl control = RequestWithBody(BodyLimits with { MinBodyDataRate = 0, BodyReadTimeout = TimeSpan.Zero });
        control.StartReading(now: 0);

        control.Check(long.MaxValue / 2).Reason.Should().Be(TimeoutReason.None);
    }

    [Fact]
    public void Each_request_times_its_body_from_nothing()
    {
        TimeoutControl control = RequestWithBody(BodyLimits);
        control.StartReading(now: 0);
        control.StopReading(now: 1900, received: 0);
        control.EndRequest().Should().BeTrue();
        control.BeginRequest(now: 5000, sentBefore: 0);
        control.StartReading(now: 5000);

        control.Check(6000).Reason.Should().Be(TimeoutReason.None);
    }

    [Fact]
    public void Body_reads_are_not_judged_outside_a_request()
    {
        TimeoutControl control = Control(acceptedAt: 0, limits: BodyLimits);
        control.StartReading(now: 0);

        control.Check(60_000).Reason.Should().Be(TimeoutReason.None);
    }

    private static TimeoutControl RequestWithBody(HttpLimits limits)
    {
        TimeoutControl control = Control(acceptedAt: 0, limits: limits);
        control.BeginRequest(now: 0, sentBefore: 0);
        return control;
    }

    private static TimeoutControl Control(long acceptedAt, TimeSpan request = default, HttpLimits? limits = null) =>
        new(acceptedAt, Header, KeepAlive, request, limits ?? new HttpLimits { MinBodyDataRate = 0, BodyReadTimeout = TimeSpan.Zero });
}
