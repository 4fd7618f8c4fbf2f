using System.Net.Sockets;
using GatewayServer.Gateway;
using GatewayServer.Logging;

namespace GatewayServer.Worker;

/// <summary>Accepts connections on one inherited listening socket until the worker stops.</summary>
internal sealed class AcceptLoop
{
    private readonly Socket _listener;
    private readonly GatewayContext _context;
    private readonly ConnectionRegistry _connections;
    private readonly ErrorLog _log;

    public AcceptLoop(Socket listener, GatewayContext context, ConnectionRegistry connections, ErrorLog log)
    {
        _listener = listener;
        _context = context;
        _connections = connections;
        _log = log;
    }

    public async Task RunAsync()
    {
        bool isTcp = _listener.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
        while (!_context.Stopping)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_context.Stopping)
            {
                return;
            }
            catch (SocketException error)
            {
                // Out of descriptors or a connection reset before accept: wait a moment, keep serving.
                _log.Warning("accept failed: {error}", error.SocketErrorCode);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }

            if (isTcp)
            {
                client.NoDelay = true;
            }

            var connection = new HttpConnection(client, _context);
            _connections.Add(connection);
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Loop.ServeAsync(state.Connection), (Loop: this, Connection: connection), preferLocal: false);
        }
    }

    public void Stop() => _listener.Dispose();

    private async Task ServeAsync(HttpConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            _log.Error("connection failed: {error}", error.ToString());
        }
        finally
        {
            _connections.Remove(connection);
        }
    }
}
