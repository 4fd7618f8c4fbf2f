using GatewayServer.Control;
using GatewayServer.Transport;

namespace GatewayServer.Worker;

/// <summary>
/// This worker's slot in the master's <see cref="ConnectionScoreboard"/>: publishes its connection
/// count and, before each accept, holds back briefly while it is ahead of the least loaded worker.
/// The hold is short and bounded, so a worker whose peers are all stuck still accepts.
/// </summary>
internal sealed class AcceptBalancer : IDisposable
{
    private const uint StepMicroseconds = 100;
    private const int MaxSteps = 20;

    private readonly ConnectionScoreboard _scoreboard;
    private readonly int _slot;

    private AcceptBalancer(ConnectionScoreboard scoreboard, int slot)
    {
        _scoreboard = scoreboard;
        _slot = slot;
    }

    /// <summary>Joins the scoreboard the master handed down; null (no balancing) where there is none.</summary>
    public static AcceptBalancer? Join()
    {
        string? descriptor = Environment.GetEnvironmentVariable(WorkerEnvironment.ScoreboardDescriptor);
        Environment.SetEnvironmentVariable(WorkerEnvironment.ScoreboardDescriptor, null);
        ConnectionScoreboard? scoreboard = int.TryParse(descriptor, System.Globalization.CultureInfo.InvariantCulture, out int fd) && fd >= 0
            ? ConnectionScoreboard.Open(fd)
            : null;
        if (scoreboard is null)
        {
            return null;
        }

        int slot = scoreboard.Claim(Environment.ProcessId, Environment.TickCount64);
        if (slot < 0)
        {
            scoreboard.Dispose();
            return null;
        }

        return new AcceptBalancer(scoreboard, slot);
    }

    public void Publish(int connections) => _scoreboard.Publish(_slot, connections);

    /// <summary>Called once a second: a slot that stops being touched is ignored by the others.</summary>
    public void Touch() => _scoreboard.Touch(_slot, Environment.TickCount64);

    /// <summary>Before accepting: waits (at most 2 ms) while this worker holds more connections than another live one.</summary>
    public void WaitForTurn()
    {
        for (int step = 0; step < MaxSteps && _scoreboard.IsAheadOfOthers(_slot, Environment.TickCount64); step++)
        {
            Libc.usleep(StepMicroseconds);
        }
    }

    public void Dispose()
    {
        _scoreboard.Release(_slot);
        _scoreboard.Dispose();
    }
}
