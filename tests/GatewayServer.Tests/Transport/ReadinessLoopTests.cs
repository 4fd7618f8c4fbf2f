using GatewayServer.Tests.Engine;
using GatewayServer.Transport;

namespace GatewayServer.Tests.Transport;

public sealed class ReadinessLoopTests
{
    [Theory]
    [InlineData("Loop", "gwserve event loop")]
    [InlineData("Pool", ".NET TP Worker")]
    public async Task A_waiting_connection_resumes_when_bytes_arrive_on_the_thread_its_dispatch_names(string dispatch, string thread)
    {
        using var pair = SocketPair.Open();
        ReadinessLoop loop = ReadinessLoop.Start(Enum.Parse<LoopDispatch>(dispatch));
        ReadinessWaiter waiter = loop.Register(pair.Server);
        Task<string?> resumedOn = ResumedThreadName(waiter.WaitAsync(CancellationToken.None));

        pair.Client.Send("x"u8);

        (await resumedOn.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(thread);
    }

    [Fact]
    public async Task Work_posted_from_many_threads_all_runs_on_the_loop()
    {
        // A lost wake-up (the edge-triggered eventfd read away before a later post) leaves work
        // queued forever. Four threads each post, wait for their item to run and post again, so
        // posts keep racing the loop's handling of the previous wake-up.
        ReadinessLoop loop = ReadinessLoop.Start(LoopDispatch.Loop);

        string?[][] ranOn = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var names = new string?[2500];
            for (int i = 0; i < names.Length; i++)
            {
                var work = new SignallingWork();
                loop.Post(work);
                work.Ran.Wait(TimeSpan.FromSeconds(5)).Should().BeTrue("post {0} ran", i);
                names[i] = work.ThreadName;
            }

            return names;
        })));

        ranOn.SelectMany(names => names).Should().AllBe("gwserve event loop");
    }

    [Fact]
    public void A_loop_that_measures_its_busy_time_counts_what_it_ran_and_a_request_there_starts_between_its_post_and_its_run()
    {
        ReadinessLoop measured = ReadinessLoop.Start(LoopDispatch.Loop, measureBusyTime: true);
        ReadinessLoop unmeasured = ReadinessLoop.Start(LoopDispatch.Loop);
        ReadinessLoop watching = ReadinessLoop.Start(LoopDispatch.Auto, measureBusyTime: true);
        foreach (ReadinessLoop loop in new[] { measured, unmeasured, watching })
        {
            // The work the loop is busy with: a blocking call, as an app might make (on the auto
            // loop, which would move to the pool for it, a short one).
            var busy = new SignallingWork(() => Thread.Sleep(loop == watching ? 1 : 200));
            loop.Post(busy);
            busy.Ran.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
            long posted = System.Diagnostics.Stopwatch.GetTimestamp();
            // Runs in a later batch than the first: by then the first batch's time is added.
            var next = new SignallingWork(() => { });
            loop.Post(next);
            next.Ran.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
            next.StartOfRequest.Should().BeInRange(posted, next.ReadAt);
        }

        measured.BusySeconds.Should().BeGreaterThanOrEqualTo(0.15, "the coarse clock is off by a tick (4 to 10 ms) at most");
        unmeasured.BusySeconds.Should().Be(0);
    }

    [Fact]
    public void An_event_that_comes_while_nobody_waits_ends_the_next_wait_at_once()
    {
        var waiter = new ReadinessWaiter();
        waiter.Notify(inline: true);

        ValueTask<int> wait = waiter.WaitAsync(CancellationToken.None);

        wait.IsCompletedSuccessfully.Should().BeTrue();
        waiter.WaitAsync(CancellationToken.None).IsCompleted.Should().BeFalse("the remembered event was used up");
    }

    [Fact]
    public async Task A_cancelled_wait_ends_with_OperationCanceledException_and_the_next_one_waits_again()
    {
        var waiter = new ReadinessWaiter();
        using var cancellation = new CancellationTokenSource();
        ValueTask<int> wait = waiter.WaitAsync(cancellation.Token);

        await cancellation.CancelAsync();

        await FluentActions.Awaiting(async () => await wait).Should().ThrowAsync<OperationCanceledException>();
        ValueTask<int> next = waiter.WaitAsync(CancellationToken.None);
        next.IsCompleted.Should().BeFalse();
        waiter.Notify(inline: true);
        (await next).Should().Be(1);
    }

    [Fact]
    public async Task A_wait_begun_with_a_cancelled_token_ends_at_once()
    {
        var waiter = new ReadinessWaiter();

        ValueTask<int> wait = waiter.WaitAsync(new CancellationToken(canceled: true));

        await FluentActions.Awaiting(async () => await wait).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task An_aborted_wait_ends_with_ObjectDisposedException()
    {
        var waiter = new ReadinessWaiter();
        ValueTask<int> wait = waiter.WaitAsync(CancellationToken.None);

        waiter.Fail(new ObjectDisposedException("socket"));

        await FluentActions.Awaiting(async () => await wait).Should().ThrowAsync<ObjectDisposedException>();
    }

    /// <summary>The name of the thread the wait resumes on (the wait must not have ended yet).</summary>
    private static async Task<string?> ResumedThreadName(ValueTask<int> wait)
    {
        wait.IsCompleted.Should().BeFalse("nothing was sent yet");
        await wait.ConfigureAwait(false);
        return Thread.CurrentThread.Name;
    }

    [Fact]
    public void A_loop_thread_asks_the_scheduler_for_the_shortest_slice_on_a_kernel_that_offers_custom_slices()
    {
        // EEVDF's custom slice came with Linux 6.12; older kernels keep their default and so does the loop.
        Version kernel = Environment.OSVersion.Version;
        ReadinessLoop loop = ReadinessLoop.Start(LoopDispatch.Loop);
        string? slice = null;
        var read = new SignallingWork(() => slice = File.ReadLines("/proc/thread-self/sched")
            .FirstOrDefault(line => line.StartsWith("se.slice", StringComparison.Ordinal)));

        loop.Post(read);

        read.Ran.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        if (kernel >= new Version(6, 12))
        {
            slice.Should().NotBeNull().And.EndWith(" 100000", "the loop asked for 0.1 ms turns on Linux {0}", kernel);
        }
    }

    private sealed class SignallingWork(Action? run = null) : IThreadPoolWorkItem
    {
        public ManualResetEventSlim Ran { get; } = new();

        public string? ThreadName { get; private set; }

        /// <summary>What <see cref="LoopClock.StartOfRequest"/> said on the thread that ran it, and a clock read after.</summary>
        public long StartOfRequest { get; private set; }

        public long ReadAt { get; private set; }

        public void Execute()
        {
            ThreadName = Thread.CurrentThread.Name;
            run?.Invoke();
            StartOfRequest = LoopClock.StartOfRequest(TimeProvider.System);
            ReadAt = System.Diagnostics.Stopwatch.GetTimestamp();
            Ran.Set();
        }
    }
}
