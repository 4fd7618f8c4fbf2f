using GatewayServer.Fuzz;
using SharpFuzz;

// Usage: GatewayServer.Fuzz request|chunked [--libfuzzer]
// Without --libfuzzer it runs under afl-fuzz (SharpFuzz's out-of-process mode); see fuzz/README.md.
if (args.Length == 0 || args[0] is not ("request" or "chunked"))
{
    Console.Error.WriteLine("usage: GatewayServer.Fuzz request|chunked [--libfuzzer]");
    return 2;
}

ReadOnlySpanAction target = args[0] == "request" ? FuzzTargets.RequestParser : FuzzTargets.ChunkedDecoder;
if (args.Contains("--libfuzzer"))
{
    Fuzzer.LibFuzzer.Run(target);
}
else
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    });
}

return 0;
