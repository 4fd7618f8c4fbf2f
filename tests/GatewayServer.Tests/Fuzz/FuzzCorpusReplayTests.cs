using GatewayServer.Fuzz;
using GatewayServer.Tests.Http;

namespace GatewayServer.Tests.Fuzz;

/// <summary>
/// Replays fuzz/corpus through the fuzz targets, plus seeded mutations of it, so CI exercises
/// them in bounded time without afl++. A crash the fuzzer finds belongs in the corpus afterwards.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    [Theory]
    [InlineData("request")]
    [InlineData("chunked")]
    [InlineData("proxy")]
    [InlineData("forwarded")]
    public void Saved_corpus_and_its_mutations_run_through_the_fuzz_target_without_a_crash(string target)
    {
        string[] files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "fuzz", "corpus", target));
        files.Should().NotBeEmpty();
        Action<byte[]> run = target switch
        {
            "request" => bytes => FuzzTargets.RequestParser(bytes),
            "chunked" => bytes => FuzzTargets.ChunkedDecoder(bytes),
            "proxy" => bytes => ProxyFuzzTargets.ProxyHeader(bytes),
            _ => bytes => ProxyFuzzTargets.ForwardedHeaders(bytes),
        };
        var mutator = new RequestMutator(target.Length);
        foreach (string file in files)
        {
            byte[] seed = File.ReadAllBytes(file);
            run(seed);
            for (int i = 0; i < 300; i++)
            {
                run(mutator.Mutate(seed));
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GatewayServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find GatewayServer.sln above " + AppContext.BaseDirectory);
    }
}
