using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>What systemd is to gwserve's sd_notify: a Unix datagram socket to pass as NOTIFY_SOCKET, recording each message.</summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private int _matched;

    public NotifySocketListener()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gwserve-notify-{Guid.NewGuid():N}.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _ = ReceiveAsync();
    }

    public string Path { get; }

    public IReadOnlyCollection<string> Messages => _messages;

    /// <summary>The next message, after the one matched last, that <paramref name="match"/> accepts: so successive waits check order.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            string[] messages = [.. _messages];
            for (int i = _matched; i < messages.Length; i++)
            {
                if (match(messages[i]))
                {
                    _matched = i + 1;
                    return messages[i];
                }
            }

            try
            {
                await _arrived.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no matching notification; received:\n" + string.Join("\n---\n", messages));
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        File.Delete(Path);
    }

    private async Task ReceiveAsync()
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Enqueue(Encoding.UTF8.GetString(buffer, 0, received));
                _arrived.Release();
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
