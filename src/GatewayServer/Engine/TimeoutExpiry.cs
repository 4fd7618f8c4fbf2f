namespace GatewayServer.Engine;

/// <summary>
/// A timeout the sweep found due (<see cref="TimeoutControl.FindDue"/>), with what the connection
/// needs to act on it, all read before the claim: they belong to the timed phase only if the claim
/// (<see cref="TimeoutControl.TryClaim"/>) succeeds. <c>default</c> when nothing is due.
/// </summary>
internal readonly struct TimeoutExpiry
{
    internal TimeoutExpiry(TimeoutReason reason, long state, long requestStartedAt, long sentBefore)
    {
        Reason = reason;
        State = state;
        RequestStartedAt = requestStartedAt;
        SentBefore = sentBefore;
    }

    public TimeoutReason Reason { get; }

    /// <summary>For <see cref="TimeoutReason.Request"/>: when the request started (<see cref="Environment.TickCount64"/>).</summary>
    public long RequestStartedAt { get; }

    /// <summary>For <see cref="TimeoutReason.Request"/>: how many bytes the connection had sent before the request's response.</summary>
    public long SentBefore { get; }

    /// <summary>The control's state as the sweep read it: the claim succeeds only if it is still the same.</summary>
    internal long State { get; }
}
