using System.Diagnostics;
using System.Diagnostics.Metrics;
using GatewayServer.Control;
using GatewayServer.Engine;

namespace GatewayServer.Tests.Engine;

public sealed class ServerMetricsTests
{
    [Fact]
    public void Counts_made_on_many_threads_add_up_and_outlive_the_threads_that_made_them()
    {
        using var metrics = new ServerMetrics(MetricCatalog.DurationBounds);
        var threads = new List<Thread>();
        for (int t = 0; t < 4; t++)
        {
            var thread = new Thread(() =>
            {
                for (int i = 0; i < 10_000; i++)
                {
                    metrics.ConnectionOpened();
                    metrics.RequestStarted();
                    metrics.RequestEnded("GET"u8, 200, Stopwatch.Frequency / 1000);
                    metrics.ConnectionClosed(10, 20);
                }
            });
            threads.Add(thread);
            thread.Start();
        }

        threads.ForEach(thread => thread.Join());
        // The exited threads' blocks are folded into the retired one once their owners are collected.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        metrics.Totals();
        ThreadCounts totals = metrics.Totals();

        totals.ConnectionsOpened.Should().Be(40_000);
        totals.ReceivedBytes.Should().Be(400_000);
        totals.SentBytes.Should().Be(800_000);
        metrics.ActiveRequests.Should().Be(0);
        metrics.ActiveConnections.Should().Be(0);
        long requests = 0;
        metrics.Durations.ForEach(totals, (method, status, buckets, _) => requests += buckets.Sum());
        requests.Should().Be(40_000);
    }

    [Fact]
    public void A_request_begun_on_one_thread_and_ended_on_another_leaves_nothing_active()
    {
        using var metrics = new ServerMetrics(MetricCatalog.DurationBounds);
        metrics.RequestStarted();
        metrics.ActiveRequests.Should().Be(1);

        var other = new Thread(() => metrics.RequestEnded("POST"u8, 201, 1));
        other.Start();
        other.Join();

        metrics.ActiveRequests.Should().Be(0);
    }

    [Fact]
    public void A_listener_of_the_meter_sees_the_counters_and_each_request_s_duration()
    {
        using var metrics = new ServerMetrics(MetricCatalog.DurationBounds);
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ServerMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        metrics.LoopBusySeconds = () => 1.5;

        metrics.ConnectionOpened();
        metrics.RequestStarted();
        metrics.RequestEnded("GET"u8, 404, Stopwatch.Frequency / 4);
        metrics.ErrorAnswered(431);
        listener.RecordObservableInstruments();

        seen["gwserve.connections"].Should().Be(1);
        seen["gwserve.connections.active"].Should().Be(1);
        seen["gwserve.requests.rejected"].Should().Be(1);
        seen["gwserve.event_loop.busy_time"].Should().Be(1.5);
        seen["http.server.request.duration"].Should().BeApproximately(0.25, 1e-6);
    }
}
