using System.Runtime.CompilerServices;

namespace GatewayServer.Transport;

/// <summary>
/// What a connection awaits to let the worker's other connections have a turn: the rest of its
/// work runs after what is already waiting, on the event loop (<see cref="ReadinessLoop.Post"/>)
/// or on the thread pool. A client that pipelines thousands of requests is served in turns,
/// instead of keeping the loop to itself until its last answer.
/// </summary>
internal readonly struct LoopTurn : ICriticalNotifyCompletion
{
    private readonly ConnectionInput _input;

    public LoopTurn(ConnectionInput input)
    {
        _input = input;
    }

    public bool IsCompleted => false;

    public LoopTurn GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => _input.ContinueAfterOthers(continuation);

    public void UnsafeOnCompleted(Action continuation) => _input.ContinueAfterOthers(continuation);
}
