using System.Diagnostics;
using System.Text.Json;

namespace LoadBench.Servers;

/// <summary>edgenode or originshield (Release builds, the same cache node code) with their defaults (zero-copy cleartext, own TLS termination, inline I/O), access log off.</summary>
internal sealed class CacheNodeServer(string name, string section, string binary, string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort, int adminPort)
    : ServerUnderTest(dir, originPort, tls, core, httpPort, httpsPort)
{
    public override string Name { get; } = name;

    public int AdminPort { get; } = adminPort;

    public override async Task StartAsync()
    {
        Directory.CreateDirectory(Dir);
        var node = new
        {
            NodeName = $"{Name}-bench",
            Listeners = new
            {
                Http = new { Address = "127.0.0.1", Port = HttpPort, ZeroCopy = true },
                Https = new { Address = "127.0.0.1", Port = HttpsPort, Tls = new { CertificatePath = Tls.Cert, KeyPath = Tls.Key } },
                Admin = new { Address = "127.0.0.1", Port = AdminPort },
            },
            Admin = new { Tokens = new[] { "loadbench-admin-token-0123456789" } },
            Cache = new
            {
                Name = Name,
                Volumes = new[] { new { Path = Path.Combine(Dir, "volume0"), CapacityBytes = 8L << 30 } },
                Index = new { Directory = Path.Combine(Dir, "index"), MemoryBytes = 64L << 20, HashTableBytes = 8L << 20 },
            },
            Upstreams = new { Origins = new[] { new { Url = $"http://127.0.0.1:{OriginPort}" } } },
        };
        var config = new Dictionary<string, object>
        {
            [section] = node,
            ["Logging"] = new { LogLevel = new Dictionary<string, string> { ["Default"] = "Warning", ["Cdn.Access"] = "None" } },
        };
        var path = Path.Combine(Dir, $"{Name}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));
        Track(ProcessTree.Start(Core, "dotnet", [binary, "--config", path], new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" }, Path.Combine(Dir, $"{Name}.log")));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{AdminPort}/readyz", TimeSpan.FromSeconds(60));
    }
}
