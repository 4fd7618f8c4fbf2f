using System.Net.Sockets;
using GatewayServer.Logging;
using GatewayServer.Transport;

namespace GatewayServer.Operations;

/// <summary>
/// The accept loop the health endpoint and the control socket share: at most a few connections at
/// once (more are closed at once), each served by one call under a short deadline, so that a
/// client that connects and says nothing costs a slot for seconds, never the master's loop.
/// </summary>
internal sealed class OperationsListener : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly Listener _listener;
    private readonly Func<Socket, CancellationToken, Task> _serve;
    private readonly ErrorLog _log;
    private readonly string _name;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots;

    public OperationsListener(Listener listener, int maxConnections, string name, ErrorLog log, Func<Socket, CancellationToken, Task> serve)
    {
        _listener = listener;
        _slots = new SemaphoreSlim(maxConnections);
        _name = name;
        _log = log;
        _serve = serve;
        _ = AcceptAsync();
    }

    public Listener Listener => _listener;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.Socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                continue;
            }

            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using (client)
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                deadline.CancelAfter(Deadline);
                await _serve(client, deadline.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A client that went away or dawdled past the deadline: nothing to answer.
        }
        catch (Exception error)
        {
            _log.Error($"{_name}: {error.Message}");
        }
        finally
        {
            _slots.Release();
        }
    }
}
