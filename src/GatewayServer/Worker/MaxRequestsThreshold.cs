namespace GatewayServer.Worker;

/// <summary>When a worker retires under <c>--max-requests</c>: N plus a random 0..J, drawn once per worker, as Gunicorn does.</summary>
internal static class MaxRequestsThreshold
{
    /// <summary>The request count at which to retire, or <see cref="long.MaxValue"/> when <paramref name="maxRequests"/> is 0.</summary>
    public static long Pick(int maxRequests, int jitter, Random random) =>
        maxRequests <= 0 ? long.MaxValue : (long)maxRequests + (jitter > 0 ? random.Next(0, jitter + 1) : 0);
}
