using GatewayServer.Fuzz;
using SharpFuzz;

// Usage: GatewayServer.Fuzz request|chunked|proxy|forwarded [--libfuzzer]
// Without --libfuzzer it runs under afl-fuzz (SharpFuzz's out-of-process mode); see fuzz/README.md.
ReadOnlySpanAction? target = args.Length == 0 ? null : args[0] switch
{
    "request" => FuzzTargets.RequestParser,
    "chunked" => FuzzTargets.ChunkedDecoder,
    "proxy" => ProxyFuzzTargets.ProxyHeader,
    "forwarded" => ProxyFuzzTargets.ForwardedHeaders,
    _ => null,
};
if (target is null)
{
    Console.Error.WriteLine("usage: GatewayServer.Fuzz request|chunked|proxy|forwarded [--libfuzzer]");
    return 2;
}

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
