using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/GatewayServer.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
