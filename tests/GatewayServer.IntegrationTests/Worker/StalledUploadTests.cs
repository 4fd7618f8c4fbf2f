using System.Diagnostics;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Worker;

/// <summary>
/// The stalled-upload attack of issue 15 against one worker: many connections each announce a
/// 100,000-byte body, send one byte of it and then nothing. Meanwhile a plain GET on a fresh
/// connection must be answered within a second, every stalled upload must get 408 within
/// <c>--body-timeout</c> + 2 s, and the worker must not be taken for hung and replaced. Run with a
/// synchronous app (EchoApp reads its body with <c>Stream.Read</c>) under each <c>--app-dispatch</c>
/// and with a pool smaller than the number of uploads, and with an asynchronous one (AsyncApp's
/// <c>POST /sha256</c> reads with <c>ReadAsync</c>).
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class StalledUploadTests
{
    private const int Uploads = 70;
    private const int BodyTimeoutSeconds = 3;
    private static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(BodyTimeoutSeconds + 2);
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData("EchoApp", "/upload", "/noread", "auto", 64)]
    [InlineData("EchoApp", "/upload", "/noread", "pool", 4)]
    [InlineData("EchoApp", "/upload", "/noread", "loop", 64)]
    [InlineData("AsyncApp", "/sha256", "/", "auto", 64)]
    public async Task Stalled_uploads_get_408_within_the_body_timeout_while_a_fresh_GET_is_answered_within_a_second_and_the_worker_lives_on(
        string app, string uploadPath, string probePath, string dispatch, int threads)
    {
        using GwserveProcess server = await GwserveProcess.StartReadyAsync(
            RepositoryLayout.Sample(app) + ":App", 1,
            "--body-timeout", BodyTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--app-dispatch", dispatch,
            "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Short, so that a heartbeat that stops would get the worker killed within the test.
            "--timeout", "3");
        int worker = server.WorkerPids().Single();
        (await ProbeAsync(server.Port, probePath)).Should().BeLessThan(TimeSpan.FromSeconds(5), "the worker serves before the attack");

        var uploads = new List<RawHttpConnection>();
        try
        {
            var answers = new List<Task<(RawResponse? Response, TimeSpan After)>>();
            for (int i = 0; i < Uploads; i++)
            {
                RawHttpConnection upload = await RawHttpConnection.OpenAsync(server.Port);
                uploads.Add(upload);
                await upload.SendAsync($"POST {uploadPath} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\nx");
                answers.Add(AnswerAsync(upload, Stopwatch.StartNew()));
            }

            Task all = Task.WhenAll(answers);
            var slowest = TimeSpan.Zero;
            int probes = 0;
            while (!all.IsCompleted || probes < 3)
            {
                TimeSpan took = await ProbeAsync(server.Port, probePath);
                took.Should().BeLessThan(ProbeDeadline, $"probe {probes} must not wait behind the stalled uploads");
                slowest = took > slowest ? took : slowest;
                probes++;
                await Task.WhenAny(all, Task.Delay(200));
            }

            foreach ((RawResponse? response, TimeSpan after) in await Task.WhenAll(answers))
            {
                response.Should().NotBeNull("every stalled upload is answered");
                response!.Status.Should().Be(408);
                response.ClosesConnection.Should().BeTrue();
                after.Should().BeLessThan(AnswerDeadline);
            }

            probes.Should().BeGreaterThan(BodyTimeoutSeconds, $"probes ran throughout (slowest {slowest.TotalMilliseconds:F0} ms)");
            server.WorkerPids().Should().Equal([worker], "the worker is not replaced");
            server.Output.Should().NotContain("WORKER TIMEOUT");
            (await ProbeAsync(server.Port, probePath)).Should().BeLessThan(ProbeDeadline);
        }
        finally
        {
            foreach (RawHttpConnection upload in uploads)
            {
                upload.Dispose();
            }
        }
    }

    /// <summary>A GET on a fresh connection; how long its answer took (the answer must be 200).</summary>
    private static async Task<TimeSpan> ProbeAsync(int port, string path)
    {
        var watch = Stopwatch.StartNew();
        using RawHttpConnection probe = await RawHttpConnection.OpenAsync(port);
        await probe.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        // Waits past the deadline, so that a slow answer fails the assertion with its time, not a timeout.
        RawResponse response = await probe.ReadResponseAsync(timeout: TimeSpan.FromSeconds(30));
        response.Status.Should().Be(200);
        return watch.Elapsed;
    }

    /// <summary>The upload's response and how long after its last byte it came; null if the connection closed without one.</summary>
    private static async Task<(RawResponse? Response, TimeSpan After)> AnswerAsync(RawHttpConnection upload, Stopwatch sent)
    {
        try
        {
            RawResponse response = await upload.ReadResponseAsync(timeout: TimeSpan.FromSeconds(60));
            return (response, sent.Elapsed);
        }
        catch (Exception error) when (error is EndOfStreamException or System.Net.Sockets.SocketException)
        {
            return (null, sent.Elapsed);
        }
    }
}
