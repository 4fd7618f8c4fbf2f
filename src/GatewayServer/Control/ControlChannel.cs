using System.Net.Sockets;
using System.Text;
using GatewayServer.Transport;

namespace GatewayServer.Control;

/// <summary>
/// One end of the master-worker socket pair. Messages are single text lines. Because only the two
/// processes hold the ends, end-of-stream on either side means the other process is gone: that
/// is how a worker notices its master died, however it died.
/// </summary>
/// <remarks>
/// The master's end does not trust the worker's (a worker runs the app, often as a less privileged
/// user): a line longer than <see cref="MaxWorkerLineBytes"/>, a control character or bytes that are
/// not UTF-8, or more messages than <see cref="WorkerMessageBurst"/> at once and
/// <see cref="WorkerMessagesPerSecond"/> after, make <see cref="ReadLineAsync"/> throw
/// <see cref="ControlProtocolException"/>, so the master reads at most one bounded line ahead of its
/// loop. The worker's end writes its lines in that shape (control characters become spaces, a
/// line too long is cut), whatever the message.
/// </remarks>
public sealed class ControlChannel : IDisposable
{
    /// <summary>The longest line a worker may send.</summary>
    public const int MaxWorkerLineBytes = 65536; // a metrics report of 32 histogram series fits with room to spare

    /// <summary>How many messages a worker may send at once, beyond its sustained rate.</summary>
    public const int WorkerMessageBurst = 100;

    /// <summary>How many messages a second a worker may send, sustained (it sends one heartbeat a second).</summary>
    public const int WorkerMessagesPerSecond = 50;

    /// <summary>A bound on the master's lines too (a settings value), against a bug rather than an attack.</summary>
    private const int MaxMasterLineBytes = 1 << 20;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Socket _socket;
    private readonly Lock _writeLock = new();

    /// <summary>Set at the master's end: what the worker sends is bounded and checked.</summary>
    private readonly MessageRateLimit? _workerRate;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>Bytes from <see cref="_start"/> already searched for a newline.</summary>
    private int _searched;

    private ControlChannel(Socket socket, MessageRateLimit? workerRate)
    {
        _socket = socket;
        _workerRate = workerRate;
        _maxLineBytes = workerRate is null ? MaxMasterLineBytes : MaxWorkerLineBytes;
    }

    private bool IsMasterEnd => _workerRate is not null;

    /// <summary>
    /// Creates a pair: the first end is the master's (it checks what it reads, on
    /// <paramref name="time"/>'s clock), the second is to be inherited by the worker.
    /// </summary>
    public static unsafe (ControlChannel Parent, int ChildDescriptor) CreatePair(TimeProvider? time = null)
    {
        int* fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) != 0)
        {
            throw new IOException($"socketpair failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        var rate = new MessageRateLimit(WorkerMessageBurst, WorkerMessagesPerSecond, time ?? TimeProvider.System);
        return (new ControlChannel(new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)), rate), fds[1]);
    }

    /// <summary>Adopts an inherited end of a pair: the worker's.</summary>
    public static ControlChannel FromDescriptor(int descriptor)
    {
        Libc.SetInheritable(descriptor, false);
        return new ControlChannel(new Socket(new SafeSocketHandle(descriptor, ownsHandle: true)), workerRate: null);
    }

    public void Send(string line)
    {
        byte[] bytes = IsMasterEnd ? Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n") : WorkerLine(line);
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
    /// <exception cref="ControlProtocolException">At the master's end: the worker broke the protocol.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellation = default)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start + _searched, _end - _start - _searched);
            if (newline >= 0)
            {
                return TakeLine(newline);
            }

            _searched = _end - _start;
            if (_searched > _maxLineBytes)
            {
                throw new ControlProtocolException($"a line longer than {_maxLineBytes} bytes");
            }

            MakeRoom();
            int received;
            try
            {
                received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return null;
            }

            if (received == 0)
            {
                return null;
            }

            _end += received;
        }
    }

    public void Dispose() => _socket.Dispose();

    private string TakeLine(int newline)
    {
        var bytes = new ReadOnlySpan<byte>(_buffer, _start, newline - _start);
        _start = newline + 1;
        _searched = 0;
        if (bytes.Length > _maxLineBytes)
        {
            throw new ControlProtocolException($"a line longer than {_maxLineBytes} bytes");
        }

        if (!IsMasterEnd)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        if (!_workerRate!.TryTake())
        {
            throw new ControlProtocolException($"more than {_workerRate.Burst} messages at once or {_workerRate.PerSecond} a second");
        }

        foreach (byte b in bytes)
        {
            if (b < 0x20 || b == 0x7F)
            {
                throw new ControlProtocolException($"a control character (0x{b:X2}) in a line");
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ControlProtocolException("a line that is not UTF-8");
        }
    }

    /// <summary>Moves the unread bytes to the front, growing the buffer (up to one line longer than allowed) when they fill it.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxLineBytes + 1));
        }
    }

    /// <summary>A line as the master's end accepts it: control characters become spaces, and it is cut to the longest line allowed.</summary>
    private static byte[] WorkerLine(string line)
    {
        var text = new StringBuilder(line.Length + 1);
        foreach (char c in line)
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        int length = bytes.Length;
        if (length > MaxWorkerLineBytes)
        {
            // Back to the start of a UTF-8 sequence, so the line stays valid.
            length = MaxWorkerLineBytes;
            while ((bytes[length] & 0xC0) == 0x80)
            {
                length--;
            }
        }

        byte[] framed = new byte[length + 1];
        bytes.AsSpan(0, length).CopyTo(framed);
        framed[length] = (byte)'\n';
        return framed;
    }
}
