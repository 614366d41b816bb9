using BenchmarkDotNet.Attributes;

namespace Cdn.Benchmarks.Reference;

/// <summary>
/// The yardstick the budget check divides by: fixed work of the same kind as the hot paths (byte scanning,
/// integer mixing, a string-keyed dictionary probe), none of it our code, so a slower or busier machine moves
/// it and the hot paths together and their ratio stays put.
/// </summary>
[MemoryDiagnoser]
public class ReferenceBenchmarks
{
    private readonly byte[] _bytes = new byte[512];
    private readonly Dictionary<string, int> _map = [];
    private readonly string _probe = "cdn.example.net/title0042/1080p/seg_00017.m4s";

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_bytes);
        for (var i = 0; i < 1024; i++)
        {
            _map[$"cdn.example.net/title{i:D4}/1080p/seg_00017.m4s"] = i;
        }
    }

    /// <summary>FNV-1a over 512 bytes, a newline scan and a dictionary hit.</summary>
    [Benchmark(Baseline = true)]
    public ulong Yardstick()
    {
        var hash = 14695981039346656037UL;
        foreach (var b in _bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash += (ulong)_bytes.AsSpan().IndexOf((byte)'\n');
        return hash + (ulong)_map[_probe];
    }
}
