using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ChatApp;

/// <summary>
/// The members of one chat room in this worker process. A message goes to each member through
/// that member's own send lock: a WebSocket takes one send at a time, and two members may
/// broadcast at once.
/// </summary>
public sealed class Room
{
    private readonly ConcurrentDictionary<Member, byte> _members = new();

    public int Count => _members.Count;

    public Member Add(WebSocket socket)
    {
        var member = new Member(this, socket);
        _members.TryAdd(member, 0);
        return member;
    }

    public async Task BroadcastAsync(ReadOnlyMemory<byte> message, CancellationToken cancellation)
    {
        foreach (Member member in _members.Keys)
        {
            try
            {
                await member.SendAsync(message, cancellation).ConfigureAwait(false);
            }
            catch (Exception error) when (error is WebSocketException or ObjectDisposedException or IOException)
            {
                // That member is leaving; the others still hear it.
            }
        }
    }

    /// <summary>One WebSocket in the room; disposing it leaves the room.</summary>
    public sealed class Member : IDisposable
    {
        private readonly WebSocket _socket;
        private readonly SemaphoreSlim _sending = new(1, 1);

        internal Member(Room room, WebSocket socket)
        {
            Room = room;
            _socket = socket;
        }

        public Room Room { get; }

        public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellation)
        {
            await _sending.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellation).ConfigureAwait(false);
                }
            }
            finally
            {
                _sending.Release();
            }
        }

        public void Dispose()
        {
            Room._members.TryRemove(this, out _);
            _sending.Dispose();
        }
    }
}
