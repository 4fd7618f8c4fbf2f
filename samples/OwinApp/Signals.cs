using System.Collections.Concurrent;

namespace OwinApp;

/// <summary>Named one-shot signals between requests of one process, for the <c>/stream</c> demo.</summary>
public sealed class Signals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public Task WaitAsync(string name) => Get(name).Task;

    public void Set(string name) => Get(name).TrySetResult();

    public void Forget(string name) => _signals.TryRemove(name, out _);

    private TaskCompletionSource Get(string name) =>
        _signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
