using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ChatApp;

/// <summary>The rooms of this worker process, by name.</summary>
public sealed class RoomDirectory
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    public Room.Member Join(string name, WebSocket socket) => _rooms.GetOrAdd(name, static _ => new Room()).Add(socket);
}
