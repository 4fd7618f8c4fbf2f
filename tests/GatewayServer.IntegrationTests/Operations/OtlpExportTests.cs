using System.Net;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Master;

namespace GatewayServer.IntegrationTests.Operations;

[Collection(MasterCollection.Name)]
public sealed class OtlpExportTests
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_worker_posts_its_metrics_as_OTLP_protobuf_to_v1_metrics_named_by_its_pid_and_the_master_never_loads_the_SDK()
    {
        using OtlpReceiver receiver = OtlpReceiver.Start();
        using GwserveProcess server = await GwserveProcess.StartAsync(
            RepositoryLayout.Sample("HelloApp") + ":App",
            new Dictionary<string, string?> { ["OTEL_METRIC_EXPORT_INTERVAL"] = "300" },
            "--workers", "2", "--otlp-endpoint", receiver.Url);
        await server.WaitForReadyWorkersAsync(2);
        using var http = new HttpClient();
        for (int i = 0; i < 5; i++)
        {
            (await http.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/otlp{i}"))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        OtlpReceiver.Export? requests = await receiver.WaitForAsync(e => e.Holds("http.server.request.duration") && e.Holds("http.response.status_code"), ExportWait);
        requests.Should().NotBeNull("a worker that served the requests exports their durations; gwserve said:\n" + server.Output);
        requests!.Path.Should().Be("/v1/metrics");
        requests.ContentType.Should().Be("application/x-protobuf");
        requests.Holds("gwserve.worker.generation").Should().BeTrue();
        foreach (int pid in server.WorkerPids())
        {
            OtlpReceiver.Export? own = await receiver.WaitForAsync(e => e.Holds($"{Environment.MachineName}:{pid}") && e.Holds("gwserve.connections") && e.Holds("gwserve.event_loop.busy_time"), ExportWait);
            own.Should().NotBeNull($"worker {pid} exports under service.instance.id HOST:{pid}");
            own!.Holds("service.instance.id").Should().BeTrue();
        }

        // The SDK lives in the workers alone: the master stays small enough to be a NativeAOT binary.
        File.ReadAllText($"/proc/{server.WorkerPids()[0]}/maps").Should().Contain("OpenTelemetry.dll");
        File.ReadAllText($"/proc/{server.Pid}/maps").Should().NotContain("OpenTelemetry", "the master never loads the SDK");
    }
}
