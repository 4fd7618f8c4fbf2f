using System.Globalization;
using GatewayServer.Transport;

namespace GatewayServer.Master;

/// <summary>
/// The master's listening sockets. Normally one per bind address, shared by every worker. With
/// <c>--reuse-port</c>, each TCP address gets one <c>SO_REUSEPORT</c> socket per worker slot: the
/// kernel hashes each new connection to one socket of the group, and the worker of that slot
/// (and, during a reload, its replacement, which inherits the same socket) accepts from it. The
/// master keeps every socket open, so a slot's queue survives its worker's death.
/// </summary>
public sealed class ListenerSet : IDisposable
{
    private readonly List<Listener> _primary;
    private readonly List<List<Listener>> _extraSlots = [];
    private readonly int _backlog;

    private ListenerSet(List<Listener> primary, int backlog, bool reusePort)
    {
        _primary = primary;
        _backlog = backlog;
        ReusePort = reusePort;
        SetInheritable(primary, false);
    }

    public bool ReusePort { get; }

    /// <summary>One listener per bind address (slot 0 of each with <c>--reuse-port</c>).</summary>
    public IReadOnlyList<Listener> Primary => _primary;

    public int SlotCount => 1 + _extraSlots.Count;

    /// <summary>Binds every address (or adopts <paramref name="inherited"/> descriptors, one per address, in order).</summary>
    public static ListenerSet Open(IReadOnlyList<BindAddress> addresses, int backlog, bool reusePort, IReadOnlyList<int>? inherited, int unixSocketMode = -1)
    {
        if (inherited is not null && inherited.Count != addresses.Count)
        {
            throw new IOException($"{MasterEnvironment.InheritDescriptors} names {inherited.Count} sockets but {addresses.Count} bind addresses are configured");
        }

        var listeners = new List<Listener>();
        try
        {
            for (int i = 0; i < addresses.Count; i++)
            {
                listeners.Add(inherited is null
                    ? ListenerFactory.Open(addresses[i], backlog, reusePort && addresses[i].Kind == BindKind.Tcp, unixSocketMode: unixSocketMode)
                    : ListenerFactory.Adopt(inherited[i], addresses[i]));
            }
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            foreach (Listener listener in listeners)
            {
                listener.Dispose();
            }

            throw new IOException($"{addresses[listeners.Count]}: {error.Message}", error);
        }

        return new ListenerSet(listeners, backlog, reusePort);
    }

    /// <summary>Makes sure slots 0..<paramref name="count"/>-1 exist (with <c>--reuse-port</c>).</summary>
    public void EnsureSlots(int count)
    {
        while (ReusePort && SlotCount < count)
        {
            var slot = new List<Listener>();
            foreach (Listener primary in _primary)
            {
                Listener listener = primary.Address.Kind == BindKind.Tcp
                    ? ListenerFactory.Open(primary.Address, _backlog, reusePort: true, port: primary.Port)
                    : primary;
                slot.Add(listener);
            }

            _extraSlots.Add(slot);
        }
    }

    /// <summary>
    /// Closes the master's sockets of the slots from <paramref name="count"/> on, once
    /// <paramref name="inUse"/> says no serving worker needs them. A stopping worker still holding
    /// one serves what is queued on it before it closes the last descriptor; a connection arriving
    /// in that instant is reset, unless <c>net.ipv4.tcp_migrate_req</c> moves it (docs/signals.md).
    /// </summary>
    public void TrimSlots(int count, Func<int, bool> inUse)
    {
        while (SlotCount > Math.Max(1, count) && !inUse(SlotCount - 1))
        {
            List<Listener> slot = _extraSlots[^1];
            _extraSlots.RemoveAt(_extraSlots.Count - 1);
            foreach (Listener listener in slot)
            {
                if (!_primary.Contains(listener))
                {
                    listener.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// Lets the processes started until the returned scope ends inherit the sockets of
    /// <paramref name="slot"/>, and no others. Every socket is close-on-exec otherwise: a child
    /// holding a socket it does not serve (a worker of another slot, a <c>USR2</c> successor)
    /// would keep it in the kernel's <c>SO_REUSEPORT</c> group after the master and its worker
    /// closed theirs, and connections hashed to it would wait for an accept that never comes.
    /// Only the master's loop thread starts processes, so no other child can slip in between.
    /// </summary>
    public InheritedSlot Inherit(int slot)
    {
        IReadOnlyList<Listener> listeners = ListenersOf(slot);
        SetInheritable(listeners, true);
        return new InheritedSlot(listeners);
    }

    /// <summary>The descriptors a worker of <paramref name="slot"/> inherits, comma-separated.</summary>
    public string DescriptorsFor(int slot)
    {
        return string.Join(",", ListenersOf(slot).Select(l => l.Descriptor.ToString(CultureInfo.InvariantCulture)));
    }

    private IReadOnlyList<Listener> ListenersOf(int slot) => slot == 0 || !ReusePort ? _primary : _extraSlots[slot - 1];

    private static void SetInheritable(IReadOnlyList<Listener> listeners, bool inheritable)
    {
        foreach (Listener listener in listeners)
        {
            Libc.SetInheritable(listener.Descriptor, inheritable);
        }
    }

    /// <summary>The window in which one slot's sockets are inheritable (<see cref="Inherit"/>); disposing closes it.</summary>
    public readonly struct InheritedSlot(IReadOnlyList<Listener> listeners) : IDisposable
    {
        public void Dispose() => SetInheritable(listeners, false);
    }

    /// <summary>Every listening socket with its slot (one slot without <c>--reuse-port</c>).</summary>
    public IEnumerable<(int Slot, Listener Listener)> Sockets()
    {
        foreach (Listener listener in _primary)
        {
            yield return (0, listener);
        }

        for (int slot = 1; slot <= _extraSlots.Count; slot++)
        {
            foreach (Listener listener in _extraSlots[slot - 1])
            {
                if (!_primary.Contains(listener))
                {
                    yield return (slot, listener);
                }
            }
        }
    }

    /// <summary>After USR2: the successor owns the sockets now, so Unix socket files stay when this master exits.</summary>
    public void HandOver()
    {
        foreach (Listener listener in _primary)
        {
            listener.UnlinkOnDispose = false;
        }
    }

    public void Dispose()
    {
        foreach (List<Listener> slot in _extraSlots)
        {
            foreach (Listener listener in slot)
            {
                if (!_primary.Contains(listener))
                {
                    listener.Dispose();
                }
            }
        }

        foreach (Listener listener in _primary)
        {
            listener.Dispose();
        }
    }
}
