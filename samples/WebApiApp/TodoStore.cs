using System.Collections.Concurrent;

namespace WebApiApp;

/// <summary>The todo items of one worker process (each worker has its own, as each would have its own cache).</summary>
public sealed class TodoStore
{
    private readonly ConcurrentDictionary<int, Todo> _items = new();
    private int _lastId;

    public IEnumerable<Todo> All => _items.Values.OrderBy(todo => todo.Id);

    public Todo? Find(int id) => _items.TryGetValue(id, out Todo? todo) ? todo : null;

    public Todo Add(string title)
    {
        var todo = new Todo(Interlocked.Increment(ref _lastId), title, DateTimeOffset.UtcNow);
        _items[todo.Id] = todo;
        return todo;
    }

    /// <summary>Forgets items older than <paramref name="age"/>; returns how many.</summary>
    public int RemoveOlderThan(TimeSpan age)
    {
        int removed = 0;
        foreach (Todo todo in _items.Values)
        {
            if (DateTimeOffset.UtcNow - todo.Created > age && _items.TryRemove(todo.Id, out _))
            {
                removed++;
            }
        }

        return removed;
    }
}

public sealed record Todo(int Id, string Title, DateTimeOffset Created);
