using Cdn.ControlPlane.Popularity;
using Cdn.Data;
using static Cdn.ControlPlane.Storage.Sql;

namespace Cdn.ControlPlane.Storage;

/// <summary><see cref="IPopularityStore"/> on SQLite or PostgreSQL: additive upserts, so replicas each add what they heard.</summary>
internal sealed class SqlPopularityStore : IPopularityStore
{
    private static readonly string[] Schema =
    [
        """
        CREATE TABLE IF NOT EXISTS cp_popularity (
            site TEXT NOT NULL,
            bucket BIGINT NOT NULL,
            path TEXT NOT NULL,
            title_id TEXT NOT NULL,
            requests BIGINT NOT NULL,
            bytes BIGINT NOT NULL,
            PRIMARY KEY (site, bucket, path))
        """,
        "CREATE INDEX IF NOT EXISTS cp_popularity_bucket ON cp_popularity (bucket)",
    ];

    private readonly StateDatabase _database;

    public SqlPopularityStore(StateDatabase database) => _database = database;

    public Task InitializeAsync(CancellationToken cancellationToken) => CreateSchemaAsync(_database, 7000602, Schema, cancellationToken);

    public async Task AddAsync(IReadOnlyList<(string Site, PopularityRow Row)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = Command(connection, transaction, """
            INSERT INTO cp_popularity (site, bucket, path, title_id, requests, bytes) VALUES (@site, @bucket, @path, @title, @requests, @bytes)
            ON CONFLICT (site, bucket, path) DO UPDATE SET requests = cp_popularity.requests + excluded.requests, bytes = cp_popularity.bytes + excluded.bytes
            """);
        Add(command, "@site", "");
        Add(command, "@bucket", 0L);
        Add(command, "@path", "");
        Add(command, "@title", "");
        Add(command, "@requests", 0L);
        Add(command, "@bytes", 0L);
        foreach (var (site, row) in rows)
        {
            command.Parameters["@site"].Value = site;
            command.Parameters["@bucket"].Value = row.BucketStart.ToUnixTimeMilliseconds();
            command.Parameters["@path"].Value = row.Path;
            command.Parameters["@title"].Value = row.TitleId;
            command.Parameters["@requests"].Value = row.Requests;
            command.Parameters["@bytes"].Value = row.Bytes;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PopularityRow>> LoadAsync(string? site, DateTimeOffset since, CancellationToken cancellationToken)
        => await ListAsync(_database, site is null
                ? "SELECT path, title_id, bucket, requests, bytes FROM cp_popularity WHERE bucket >= @since"
                : "SELECT path, title_id, bucket, requests, bytes FROM cp_popularity WHERE site = @site AND bucket >= @since",
            command =>
            {
                Add(command, "@since", since.ToUnixTimeMilliseconds());
                if (site is not null)
                {
                    Add(command, "@site", site);
                }
            },
            reader => new PopularityRow(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetInt64(3), reader.GetInt64(4)),
            cancellationToken);

    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "DELETE FROM cp_popularity WHERE bucket < @before");
        Add(command, "@before", before.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
