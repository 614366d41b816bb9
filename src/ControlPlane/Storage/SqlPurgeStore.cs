using System.Text.Json;
using Cdn.ControlPlane.Purge;
using Cdn.Data;
using static Cdn.ControlPlane.Storage.Sql;

namespace Cdn.ControlPlane.Storage;

/// <summary><see cref="IPurgeStore"/> on SQLite or PostgreSQL.</summary>
internal sealed class SqlPurgeStore : IPurgeStore
{
    private static readonly string[] Schema =
    [
        """
        CREATE TABLE IF NOT EXISTS cp_purges (
            purge_id TEXT PRIMARY KEY,
            document TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            complete BIGINT NOT NULL,
            revision BIGINT NOT NULL)
        """,
    ];

    private readonly StateDatabase _database;

    public SqlPurgeStore(StateDatabase database) => _database = database;

    public Task InitializeAsync(CancellationToken cancellationToken) => CreateSchemaAsync(_database, 7000605, Schema, cancellationToken);

    public async Task InsertAsync(PurgeRecord purge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(purge);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "INSERT INTO cp_purges (purge_id, document, created_at, complete, revision) VALUES (@id, @doc, @at, @complete, @revision)");
        Add(command, "@id", purge.PurgeId);
        Add(command, "@doc", JsonSerializer.Serialize(purge, ControlPlaneJson.Default.PurgeRecord));
        Add(command, "@at", purge.CreatedAt.ToUnixTimeMilliseconds());
        Add(command, "@complete", purge.CompletedAt is null ? 0L : 1L);
        Add(command, "@revision", purge.Revision);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> TryUpdateAsync(PurgeRecord purge, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(purge);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "UPDATE cp_purges SET document = @doc, complete = @complete, revision = @revision WHERE purge_id = @id AND revision = @expected");
        Add(command, "@id", purge.PurgeId);
        Add(command, "@doc", JsonSerializer.Serialize(purge, ControlPlaneJson.Default.PurgeRecord));
        Add(command, "@complete", purge.CompletedAt is null ? 0L : 1L);
        Add(command, "@revision", purge.Revision);
        Add(command, "@expected", expectedRevision);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<PurgeRecord?> GetAsync(string purgeId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT document FROM cp_purges WHERE purge_id = @id");
        Add(command, "@id", purgeId);
        return await command.ExecuteScalarAsync(cancellationToken) is string doc ? JsonSerializer.Deserialize(doc, ControlPlaneJson.Default.PurgeRecord) : null;
    }

    public async Task<IReadOnlyList<PurgeRecord>> LoadPendingAsync(CancellationToken cancellationToken)
        => await Sql.ListAsync(_database, "SELECT document FROM cp_purges WHERE complete = 0 ORDER BY created_at", null, Read, cancellationToken);

    public async Task<IReadOnlyList<PurgeRecord>> ListAsync(int limit, CancellationToken cancellationToken)
        => await Sql.ListAsync(_database, "SELECT document FROM cp_purges ORDER BY created_at DESC LIMIT @limit", command => Add(command, "@limit", (long)limit), Read, cancellationToken);

    public async Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "DELETE FROM cp_purges WHERE complete = 1 AND created_at < @before");
        Add(command, "@before", before.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static PurgeRecord? Read(System.Data.Common.DbDataReader reader) => JsonSerializer.Deserialize(reader.GetString(0), ControlPlaneJson.Default.PurgeRecord);
}
