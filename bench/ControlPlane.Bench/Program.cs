using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Cdn.ControlPlane.Bench.DnsResponderBenchmarks).Assembly).Run(args);
