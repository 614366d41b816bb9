using System.Diagnostics;
using System.Text.Json;

namespace LoadBench.Servers;

/// <summary>edgenode or originshield (Release builds, the same cache node code), zero-copy cleartext and Kestrel TLS, access log off.</summary>
internal sealed class CacheNodeServer : IServerUnderTest
{
    private readonly string _section;
    private readonly string _binary;
    private readonly string _dir;
    private readonly int _originPort;
    private readonly (string Cert, string Key) _tls;
    private readonly string _core;
    private Process? _process;

    public CacheNodeServer(string name, string section, string binary, string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort, int adminPort)
    {
        Name = name;
        _section = section;
        _binary = binary;
        _dir = dir;
        _originPort = originPort;
        _tls = tls;
        _core = core;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        AdminPort = adminPort;
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public int AdminPort { get; }

    public IReadOnlyList<int> Processes() => _process is null ? [] : ProcessTree.WithDescendants(_process.Id);

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_dir);
        var node = new
        {
            NodeName = $"{Name}-bench",
            Listeners = new
            {
                Http = new { Address = "127.0.0.1", Port = HttpPort, ZeroCopy = true },
                Https = new { Address = "127.0.0.1", Port = HttpsPort, Tls = new { CertificatePath = _tls.Cert, KeyPath = _tls.Key } },
                Admin = new { Address = "127.0.0.1", Port = AdminPort },
            },
            Admin = new { Tokens = new[] { "loadbench-admin-token-0123456789" } },
            Cache = new
            {
                Name = Name,
                Volumes = new[] { new { Path = Path.Combine(_dir, "volume0"), CapacityBytes = 8L << 30 } },
                Index = new { Directory = Path.Combine(_dir, "index"), MemoryBytes = 64L << 20, HashTableBytes = 8L << 20 },
            },
            Upstreams = new { Origins = new[] { new { Url = $"http://127.0.0.1:{_originPort}" } } },
        };
        var config = new Dictionary<string, object>
        {
            [_section] = node,
            ["Logging"] = new { LogLevel = new Dictionary<string, string> { ["Default"] = "Warning", ["Cdn.Access"] = "None" } },
        };
        var path = Path.Combine(_dir, $"{Name}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));
        _process = ProcessTree.Start(_core, "dotnet", [_binary, "--config", path], new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" }, Path.Combine(_dir, $"{Name}.log"));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{AdminPort}/readyz", TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
