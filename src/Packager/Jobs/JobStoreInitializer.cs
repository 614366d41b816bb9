using Cdn.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Packager.Jobs;

/// <summary>
/// Prepares the job store before the API and the workers start: creates the schema and, for the embedded
/// store, takes an exclusive lock on it (one process per SQLite file) and requeues the jobs a dead previous
/// process left running. With PostgreSQL, crashed workers' jobs come back when their leases expire.
/// </summary>
internal sealed class JobStoreInitializer : IHostedService, IDisposable
{
    private readonly JobStore _store;
    private readonly DatabaseOptions _database;
    private readonly ILogger<JobStoreInitializer> _logger;
    private FileStream? _lock;
    private volatile bool _ready;

    public JobStoreInitializer(JobStore store, IOptions<DatabaseOptions> database, ILogger<JobStoreInitializer> logger)
    {
        _store = store;
        _database = database.Value;
        _logger = logger;
    }

    /// <summary>True once the schema exists and abandoned jobs were requeued (gates <c>/readyz</c>).</summary>
    public bool IsReady => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_database.Provider == DatabaseProvider.Embedded)
        {
            var lockPath = Path.GetFullPath(_database.EmbeddedPath) + ".lock";
            try
            {
                // FileShare.None is an flock(LOCK_EX) on Linux: released by the kernel when the process dies.
                _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"the embedded job store '{_database.EmbeddedPath}' is in use by another packager process ({ex.Message}); use Database:Provider=PostgreSql to run several workers", ex);
            }
        }

        await _store.MigrateAsync(cancellationToken);
        if (_database.Provider == DatabaseProvider.Embedded)
        {
            var requeued = await _store.RequeueAbandonedAsync(cancellationToken);
            if (requeued > 0)
            {
                JobsLog.RequeuedAbandoned(_logger, requeued);
            }
        }

        _ready = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();
}
