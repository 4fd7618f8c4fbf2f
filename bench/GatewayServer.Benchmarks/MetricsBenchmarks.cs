using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GatewayServer.Control;
using GatewayServer.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Benchmarks;

/// <summary>
/// What one request pays with metrics on (<c>--metrics-bind</c>). <see cref="InterlockedCounting"/>
/// is the shape counted before (interlocked adds on shared fields, two clock reads), kept here as
/// the baseline; <see cref="PerThreadCounting"/> counts into the thread's own block, still with two
/// reads (a request off the loop); <see cref="PerThreadOnTheLoop"/> is a request on the event loop,
/// which starts from the loop's last read and reads the clock once; <see cref="ClockReads"/> shows
/// what two reads alone cost.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private readonly ServerMetrics _metrics = new(MetricCatalog.DurationBounds);
    private readonly long[] _buckets = new long[MetricCatalog.DurationBounds.Length + 1];
    private long _active;
    private long _sum;

    [Benchmark]
    public long ClockReads() => Stopwatch.GetTimestamp() - Stopwatch.GetTimestamp();

    [Benchmark(Baseline = true)]
    public long InterlockedCounting()
    {
        Interlocked.Increment(ref _active);
        long started = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _active);
        long elapsed = Stopwatch.GetTimestamp() - started;
        Interlocked.Increment(ref _buckets[0]);
        return Interlocked.Add(ref _sum, elapsed);
    }

    [Benchmark]
    public long PerThreadCounting()
    {
        long started = Stopwatch.GetTimestamp();
        _metrics.RequestStarted();
        long elapsed = Stopwatch.GetTimestamp() - started;
        _metrics.RequestEnded("GET"u8, 200, elapsed);
        return elapsed;
    }

    [Benchmark]
    public long PerThreadOnTheLoop()
    {
        long started = LoopClock.StartOfRequest(TimeProvider.System);
        _metrics.RequestStarted();
        long ended = Stopwatch.GetTimestamp();
        // As LoopClock.RequestEnded does on a loop thread (this one is not: make it one).
        LoopClock.Woke(ended);
        _metrics.RequestEnded("GET"u8, 200, ended - started);
        return ended;
    }
}
