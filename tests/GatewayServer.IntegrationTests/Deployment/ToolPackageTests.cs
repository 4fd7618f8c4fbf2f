using System.IO.Compression;
using GatewayServer.IntegrationTests.Infrastructure;
using GatewayServer.IntegrationTests.Samples;

namespace GatewayServer.IntegrationTests.Deployment;

/// <summary>
/// gwserve as <c>dotnet tool install</c> gets it from the packages (<see cref="PackedGwserve"/>):
/// on linux-x64 the NativeAOT master with gwserve-worker beside it; on a machine whose RID has no
/// package of its own, the framework-dependent JIT gwserve, which starts itself as its workers.
/// </summary>
[Collection(NativeAotCollection.Name)]
public sealed class ToolPackageTests : IClassFixture<PackedGwserve>, IDisposable
{
    private readonly TemporaryDirectory _root = new("gwserve-tool-");

    public void Dispose() => _root.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task The_installed_tool_on_linux_x64_is_the_NativeAOT_master_serving_from_gwserve_worker_processes()
    {
        string gwserve = await PackedGwserve.InstallToolAsync(_root.Path, PackedGwserve.Directory);
        string master = new FileInfo(gwserve).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? gwserve;
        master.Should().Contain($"gwserve.linux-x64{Path.DirectorySeparatorChar}", "the CLI picks the package of this machine's RID");

        using GwserveProcess server = await StartAsync(gwserve);

        ProcessImage.Maps(server.Pid).Should().NotContain(ProcessImage.Runtime, "the master is compiled ahead of time");
        IReadOnlyList<int> workers = server.WorkerPids();
        workers.Should().HaveCount(2);
        foreach (int worker in workers)
        {
            ProcessImage.Executable(worker).Should().Be(Path.Combine(Path.GetDirectoryName(master)!, "gwserve-worker"));
            ProcessImage.Maps(worker).Should().Contain(ProcessImage.Runtime, "workers load apps, so they run on the JIT-capable runtime");
        }

        RawResponse response = await DeploymentApps.GetAsync(server.ListeningPorts[0]);
        response.Status.Should().Be(200);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Where_no_package_matches_the_machines_RID_the_installed_tool_is_the_framework_dependent_gwserve()
    {
        // What a machine of another RID sees: the same packages, with the pointer's RID package
        // named for a platform that is not this one.
        string source = Path.Combine(_root.Path, "elsewhere");
        Directory.CreateDirectory(source);
        string any = $"gwserve.any.{PackedGwserve.Version}.nupkg";
        File.Copy(Path.Combine(PackedGwserve.Directory, any), Path.Combine(source, any));
        string pointer = Path.Combine(source, $"gwserve.{PackedGwserve.Version}.nupkg");
        File.Copy(Path.Combine(PackedGwserve.Directory, Path.GetFileName(pointer)), pointer);
        PointElsewhere(pointer);

        string gwserve = await PackedGwserve.InstallToolAsync(_root.Path, source);
        using GwserveProcess server = await StartAsync(gwserve);

        ProcessImage.Maps(server.Pid).Should().Contain(ProcessImage.Runtime, "the master of the framework-dependent tool runs on the .NET runtime");
        server.WorkerPids().Should().HaveCount(2);
        RawResponse response = await DeploymentApps.GetAsync(server.ListeningPorts[0]);
        response.Status.Should().Be(200);
    }

    private static void PointElsewhere(string pointer)
    {
        using ZipArchive package = ZipFile.Open(pointer, ZipArchiveMode.Update);
        ZipArchiveEntry settings = package.Entries.Single(e => e.Name == "DotnetToolSettings.xml");
        string text;
        using (var reader = new StreamReader(settings.Open()))
        {
            text = reader.ReadToEnd();
        }

        string elsewhere = text.Replace("\"linux-x64\" Id=\"gwserve.linux-x64\"", "\"osx-arm64\" Id=\"gwserve.osx-arm64\"", StringComparison.Ordinal);
        elsewhere.Should().NotBe(text, "the pointer lists gwserve.linux-x64");
        settings.Delete();
        using var writer = new StreamWriter(package.CreateEntry(settings.FullName).Open());
        writer.Write(elsewhere);
    }

    private static async Task<GwserveProcess> StartAsync(string gwserve)
    {
        GwserveProcess server = GwserveProcess.Launch([DeploymentApps.Hello, "--bind", "127.0.0.1:0", "--workers", "2"], executable: gwserve);
        try
        {
            await server.WaitForReadyWorkersAsync(2);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }
}
