using System.Collections.Concurrent;
using System.Net;

namespace GatewayServer.IntegrationTests.ScaleOut;

/// <summary>
/// Steady load: <c>concurrency</c> loops, each sending one request after the other over kept-alive
/// connections, counting the requests and the failures (an exception, or a status other than 200).
/// Stopping lets the requests in flight finish, so none is counted as failed for being cut short.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    private const int FailureSamples = 5;

    private readonly HttpClient _client;
    private readonly HttpMethod _method;
    private readonly Uri _uri;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failureSamples = new();
    private readonly Task[] _loops;
    private long _requests;
    private long _failures;
    private long _lastFailureStarted = long.MinValue;
    private long _awaitedCount = long.MaxValue;
    private TaskCompletionSource _awaited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoadClient(Uri uri, HttpMethod method, int concurrency, string? networkNamespace)
    {
        _uri = uri;
        _method = method;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false };
        if (networkNamespace is not null)
        {
            handler.ConnectCallback = NetworkNamespaceSocket.Connector(networkNamespace);
        }

        _client = new HttpClient(handler)
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        _loops = new Task[concurrency];
    }

    public HttpMethod Method => _method;

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>When (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>) the last failed request was sent; <see cref="long.MinValue"/> if none failed.</summary>
    public long LastFailureStarted => Interlocked.Read(ref _lastFailureStarted);

    /// <summary>Starts the loops; with <paramref name="networkNamespace"/> their connections start in that namespace.</summary>
    public static LoadClient Start(Uri uri, HttpMethod method, int concurrency, string? networkNamespace = null)
    {
        var load = new LoadClient(uri, method, concurrency, networkNamespace);
        for (int i = 0; i < concurrency; i++)
        {
            load._loops[i] = Task.Run(load.LoopAsync);
        }

        return load;
    }

    /// <summary>Waits until <paramref name="more"/> requests more than now have completed (load is flowing).</summary>
    public async Task WaitForMoreRequestsAsync(long more, TimeSpan? timeout = null)
    {
        long target = Requests + more;
        var awaited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _awaited, awaited);
        Volatile.Write(ref _awaitedCount, target);
        if (Requests >= target)
        {
            return;
        }

        try
        {
            await awaited.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_method} load: {Requests} requests, {target} awaited; {Describe()}");
        }
    }

    /// <summary>Stops starting requests and waits for those in flight.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public string Describe() =>
        $"{_method} requests {Requests}, failures {Failures}{(_failureSamples.IsEmpty ? string.Empty : " (" + string.Join("; ", _failureSamples) + ")")}";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            string? failure = await SendAsync();
            if (failure is not null)
            {
                Interlocked.Increment(ref _failures);
                for (long last = LastFailureStarted; started > last; last = LastFailureStarted)
                {
                    if (Interlocked.CompareExchange(ref _lastFailureStarted, started, last) == last)
                    {
                        break;
                    }
                }

                if (_failureSamples.Count < FailureSamples)
                {
                    _failureSamples.Enqueue(failure);
                }
            }

            if (Interlocked.Increment(ref _requests) >= Volatile.Read(ref _awaitedCount))
            {
                Volatile.Read(ref _awaited).TrySetResult();
            }
        }
    }

    private async Task<string?> SendAsync()
    {
        try
        {
            using var request = new HttpRequestMessage(_method, _uri);
            if (_method == HttpMethod.Post)
            {
                request.Content = new StringContent("an order that must not be placed twice");
            }

            using HttpResponseMessage response = await _client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK ? null : $"{(int)response.StatusCode} {body.Trim()}";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
        {
            return error.GetType().Name + ": " + error.Message;
        }
    }
}
