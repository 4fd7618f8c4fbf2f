using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace GatewayServer.Control;

/// <summary>
/// A small shared-memory table, one slot per worker of a master, holding each worker's open
/// connection count and when it last checked in. Workers read it before accepting: one that holds
/// more connections than the least loaded live worker steps back from <c>accept</c> for a moment,
/// so the kernel hands the next connection to another (nginx's <c>accept_disabled</c>, with real
/// counts instead of a guess). Blocking accept alone spreads single connections in turn, but a
/// burst lands mostly on whichever worker comes back to <c>accept</c> first.
/// </summary>
public sealed unsafe class ConnectionScoreboard : IDisposable
{
    private const int SlotCount = 256;
    private const int SlotSize = 16;

    /// <summary>A slot not touched for this long belongs to a dead or hung worker and is ignored.</summary>
    private const long StaleAfterMilliseconds = 3000;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;

    private ConnectionScoreboard(MemoryMappedFile file)
    {
        _file = file;
        _view = file.CreateViewAccessor(0, SlotCount * SlotSize);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>
    /// The master's side: an anonymous shared-memory file (memfd) that its workers inherit. It has
    /// no name, so nothing is left behind however the master ends. Returns the descriptor, or -1
    /// where memfd is unavailable (the workers then accept without balancing).
    /// </summary>
    public static int CreateDescriptor()
    {
        int fd = Transport.Libc.memfd_create("gwserve-scoreboard", 1 /* MFD_CLOEXEC */);
        if (fd < 0)
        {
            return -1;
        }

        if (Transport.Libc.ftruncate(fd, SlotCount * SlotSize) != 0)
        {
            Transport.Libc.close(fd);
            return -1;
        }

        return fd;
    }

    /// <summary>The worker's side: maps the inherited descriptor; null when it cannot.</summary>
    public static ConnectionScoreboard? Open(int descriptor)
    {
        try
        {
            Transport.Libc.SetInheritable(descriptor, false);
            var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: true), FileAccess.ReadWrite, bufferSize: 0);
            return new ConnectionScoreboard(MemoryMappedFile.CreateFromFile(
                stream, mapName: null, SlotCount * SlotSize, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Takes a free (or stale) slot for <paramref name="pid"/>; -1 when the table is full.</summary>
    public int Claim(int pid, long now)
    {
        for (int slot = 0; slot < SlotCount; slot++)
        {
            int owner = Volatile.Read(ref Pid(slot));
            if ((owner == 0 || now - Volatile.Read(ref LastSeen(slot)) > StaleAfterMilliseconds)
                && Interlocked.CompareExchange(ref Pid(slot), pid, owner) == owner)
            {
                Volatile.Write(ref Connections(slot), 0);
                Volatile.Write(ref LastSeen(slot), now);
                return slot;
            }
        }

        return -1;
    }

    public void Publish(int slot, int connections) => Volatile.Write(ref Connections(slot), connections);

    public void Touch(int slot, long now) => Volatile.Write(ref LastSeen(slot), now);

    /// <summary>Whether the worker in <paramref name="slot"/> holds more than one connection more than the least loaded live worker.</summary>
    public bool IsAheadOfOthers(int slot, long now)
    {
        int mine = Volatile.Read(ref Connections(slot));
        for (int other = 0; other < SlotCount; other++)
        {
            if (other != slot && Volatile.Read(ref Pid(other)) != 0
                && now - Volatile.Read(ref LastSeen(other)) <= StaleAfterMilliseconds
                && Volatile.Read(ref Connections(other)) + 1 < mine)
            {
                return true;
            }
        }

        return false;
    }

    public void Release(int slot) => Volatile.Write(ref Pid(slot), 0);

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private ref int Pid(int slot) => ref *(int*)(_base + (slot * SlotSize));

    private ref int Connections(int slot) => ref *(int*)(_base + (slot * SlotSize) + 4);

    private ref long LastSeen(int slot) => ref *(long*)(_base + (slot * SlotSize) + 8);
}
