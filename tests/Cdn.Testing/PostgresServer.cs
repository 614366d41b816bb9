using System.Diagnostics;

namespace Cdn.Testing;

/// <summary>
/// A private PostgreSQL cluster from Debian's postgresql package, started for a test run on a free loopback
/// port (initdb + pg_ctl; as root the server runs as the <c>postgres</c> user, which PostgreSQL requires).
/// Tests get their own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string dataDir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Connection string for database <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres")
        => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=15";

    /// <summary>Starts a new cluster; fails with an install hint when PostgreSQL is absent.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException("PostgreSQL server binaries not found: apt-get install -y postgresql (eng/test.sh installs it)");
        var asPostgres = Environment.UserName == "root";
        var dataDir = Path.Combine(Path.GetTempPath(), "pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        var socketDir = dataDir + "-sock";
        Directory.CreateDirectory(socketDir);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dataDir, socketDir], asUser: false);
        }

        var port = FreePort.Tcp();
        var server = new PostgresServer(bin, dataDir, port, asPostgres);
        await server.RunBinAsync("initdb", ["-D", dataDir + "/data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        await server.RunBinAsync("pg_ctl", [
            "-D", dataDir + "/data", "-l", dataDir + "/log", "-w", "-t", "60",
            "-o", $"-p {port} -k {socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        ]);
        return server;
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N")[..16];
        await RunBinAsync("psql", ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", $"CREATE DATABASE {name}"]);
        return ConnectionString(name);
    }

    /// <summary>Stops the server (immediate mode: test data need not survive) and removes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunBinAsync("pg_ctl", ["-D", _dataDir + "/data", "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            Directory.Delete(_dataDir, true);
            Directory.Delete(_dataDir + "-sock", true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunBinAsync(string tool, IEnumerable<string> args)
        => RunAsync(Path.Combine(_bin, tool), args, _asPostgresUser);

    private static async Task RunAsync(string file, IEnumerable<string> args, bool asUser)
    {
        var (exe, all) = asUser ? ("runuser", new[] { "-u", "postgres", "--", file }.Concat(args)) : (file, args);
        var (code, stdout, stderr) = await ExternalTool.RunAsync(exe, all, TimeSpan.FromMinutes(2), workingDirectory: "/tmp");
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} failed ({code}): {stderr}{stdout}");
        }
    }

    private static string? FindBin()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
