using System.Text.Json;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Catalog;
using Cdn.Data;
using static Cdn.ControlPlane.Storage.Sql;

namespace Cdn.ControlPlane.Storage;

/// <summary><see cref="ICatalogStore"/> on SQLite or PostgreSQL: one row per title, documents as JSON text.</summary>
internal sealed class SqlCatalogStore : ICatalogStore
{
    private static readonly string[] Schema =
    [
        """
        CREATE TABLE IF NOT EXISTS cp_titles (
            title_id TEXT PRIMARY KEY,
            document TEXT NOT NULL,
            summary TEXT NOT NULL,
            units TEXT NOT NULL,
            withdrawn BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
    ];

    private readonly StateDatabase _database;

    public SqlCatalogStore(StateDatabase database) => _database = database;

    public Task InitializeAsync(CancellationToken cancellationToken) => CreateSchemaAsync(_database, 7000601, Schema, cancellationToken);

    public async Task SaveTitleAsync(TitlePublished document, CatalogTitle title, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(title);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO cp_titles (title_id, document, summary, units, withdrawn, updated_at) VALUES (@id, @document, @summary, @units, 0, @now)
            ON CONFLICT (title_id) DO UPDATE SET document = excluded.document, summary = excluded.summary, units = excluded.units,
                withdrawn = 0, updated_at = excluded.updated_at
            """);
        Add(command, "@id", title.TitleId);
        Add(command, "@document", JsonSerializer.Serialize(document, CdnJson.Default.TitlePublished));
        Add(command, "@summary", JsonSerializer.Serialize(title.Summary, CdnJson.Default.TitleSummary));
        Add(command, "@units", JsonSerializer.Serialize(title.Units, ControlPlaneJson.Default.IReadOnlyListCatalogUnit));
        Add(command, "@now", title.Summary.UpdatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> WithdrawTitleAsync(string titleId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "UPDATE cp_titles SET withdrawn = 1 WHERE title_id = @id");
        Add(command, "@id", titleId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<CatalogTitle>> LoadTitlesAsync(CancellationToken cancellationToken)
        => await ListAsync(_database, "SELECT summary, units FROM cp_titles WHERE withdrawn = 0 ORDER BY title_id", null, reader =>
        {
            var summary = JsonSerializer.Deserialize(reader.GetString(0), CdnJson.Default.TitleSummary);
            var units = JsonSerializer.Deserialize(reader.GetString(1), ControlPlaneJson.Default.IReadOnlyListCatalogUnit);
            return summary is null || units is null ? null : new CatalogTitle(summary, units);
        }, cancellationToken);

    public async Task<TitlePublished?> GetDocumentAsync(string titleId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT document FROM cp_titles WHERE title_id = @id");
        Add(command, "@id", titleId);
        var document = await command.ExecuteScalarAsync(cancellationToken) as string;
        return document is null ? null : JsonSerializer.Deserialize(document, CdnJson.Default.TitlePublished);
    }
}
