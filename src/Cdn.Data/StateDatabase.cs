using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cdn.Data;

/// <summary>
/// Opens connections to the configured state store. SQLite files are opened in WAL mode with a busy
/// timeout so a reader never blocks the writer; PostgreSQL connections come from Npgsql's data source pool.
/// </summary>
public sealed class StateDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    /// <summary>Prepares the store described by <paramref name="options"/>.</summary>
    public StateDatabase(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider;
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            _postgres = NpgsqlDataSource.Create(options.ConnectionString!);
        }
        else
        {
            SqliteNative.EnsureInitialized();
            _sqlite = new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(options.EmbeddedPath),
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
        }
    }

    /// <summary>Which store this is (SQL dialect differs in a few places).</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>Opens a connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
