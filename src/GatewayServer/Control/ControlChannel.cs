using System.Net.Sockets;
using System.Text;
using GatewayServer.Transport;

namespace GatewayServer.Control;

/// <summary>
/// One end of the master-worker socket pair. Messages are single text lines. Because only the two
/// processes hold the ends, end-of-stream on either side means the other process is gone: that
/// is how a worker notices its master died, however it died.
/// </summary>
public sealed class ControlChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4096];
    private readonly StringBuilder _pending = new();
    private readonly Lock _writeLock = new();
    private int _start;
    private int _end;

    private ControlChannel(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Creates a pair; the second end is to be inherited by a child process.</summary>
    public static unsafe (ControlChannel Parent, int ChildDescriptor) CreatePair()
    {
        int* fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) != 0)
        {
            throw new IOException($"socketpair failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        return (FromDescriptor(fds[0]), fds[1]);
    }

    /// <summary>Adopts an inherited end of a pair.</summary>
    public static ControlChannel FromDescriptor(int descriptor)
    {
        Libc.SetInheritable(descriptor, false);
        return new ControlChannel(new Socket(new SafeSocketHandle(descriptor, ownsHandle: true)));
    }

    public void Send(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n");
        lock (_writeLock)
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                sent += _socket.Send(bytes.AsSpan(sent), SocketFlags.None);
            }
        }
    }

    /// <summary>Sends, ignoring a peer that has already gone.</summary>
    public bool TrySend(string line)
    {
        try
        {
            Send(line);
            return true;
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The next line, or null when the other side has closed its end (or died).</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellation = default)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                _pending.Append(Encoding.UTF8.GetString(_buffer, _start, newline - _start));
                _start = newline + 1;
                string line = _pending.ToString();
                _pending.Clear();
                return line;
            }

            _pending.Append(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
            _start = _end = 0;
            int received;
            try
            {
                received = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return null;
            }

            if (received == 0)
            {
                return null;
            }

            _end = received;
        }
    }

    public void Dispose() => _socket.Dispose();
}
