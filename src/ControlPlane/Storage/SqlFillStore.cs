using System.IO.Compression;
using System.Text.Json;
using Cdn.Contracts;
using Cdn.Contracts.Fill;
using Cdn.Data;
using static Cdn.ControlPlane.Storage.Sql;

namespace Cdn.ControlPlane.Storage;

/// <summary>
/// <see cref="IFillStore"/> on SQLite or PostgreSQL. Plan documents are gzip-compressed JSON in base64 text
/// (a large site's plan is megabytes of repetitive paths); summaries are plain JSON with the state in its own
/// column, so listing never inflates a plan.
/// </summary>
internal sealed class SqlFillStore : IFillStore
{
    private static readonly string[] Schema =
    [
        """
        CREATE TABLE IF NOT EXISTS cp_fill_plans (
            site TEXT NOT NULL,
            version BIGINT NOT NULL,
            state TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            pushed_at BIGINT NULL,
            summary TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (site, version))
        """,
        """
        CREATE TABLE IF NOT EXISTS cp_fill_pins (
            id TEXT PRIMARY KEY,
            pin TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS cp_fill_progress (
            node_id TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            progress TEXT NOT NULL,
            reported_at BIGINT NOT NULL)
        """,
    ];

    private readonly StateDatabase _database;

    public SqlFillStore(StateDatabase database) => _database = database;

    public Task InitializeAsync(CancellationToken cancellationToken) => CreateSchemaAsync(_database, 7000603, Schema, cancellationToken);

    public async Task<long> MaxVersionAsync(string site, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT MAX(version) FROM cp_fill_plans WHERE site = @site");
        Add(command, "@site", site);
        return ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<bool> TryInsertPlanAsync(FillPlanSummary summary, FillPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(plan);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO cp_fill_plans (site, version, state, created_at, pushed_at, summary, document)
            VALUES (@site, @version, @state, @created, NULL, @summary, @document)
            ON CONFLICT (site, version) DO NOTHING
            """);
        Add(command, "@site", summary.Site);
        Add(command, "@version", summary.Version);
        Add(command, "@state", summary.State.ToString());
        Add(command, "@created", summary.CreatedAt.ToUnixTimeMilliseconds());
        Add(command, "@summary", JsonSerializer.Serialize(summary, CdnJson.Default.FillPlanSummary));
        Add(command, "@document", Compress(JsonSerializer.SerializeToUtf8Bytes(plan, CdnJson.Default.FillPlan)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<FillPlanSummary?> GetSummaryAsync(string site, long version, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT summary, state, pushed_at FROM cp_fill_plans WHERE site = @site AND version = @version");
        Add(command, "@site", site);
        Add(command, "@version", version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSummary(reader) : null;
    }

    public async Task<FillPlan?> GetPlanAsync(string site, long version, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT document FROM cp_fill_plans WHERE site = @site AND version = @version");
        Add(command, "@site", site);
        Add(command, "@version", version);
        return await command.ExecuteScalarAsync(cancellationToken) is string document
            ? JsonSerializer.Deserialize(Decompress(document), CdnJson.Default.FillPlan)
            : null;
    }

    public async Task<IReadOnlyList<FillPlanSummary>> ListSummariesAsync(string? site, int limit, CancellationToken cancellationToken)
        => await ListAsync(_database, site is null
                ? "SELECT summary, state, pushed_at FROM cp_fill_plans ORDER BY created_at DESC, site, version DESC LIMIT @limit"
                : "SELECT summary, state, pushed_at FROM cp_fill_plans WHERE site = @site ORDER BY version DESC LIMIT @limit",
            command =>
            {
                Add(command, "@limit", (long)limit);
                if (site is not null)
                {
                    Add(command, "@site", site);
                }
            },
            ReadSummary,
            cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> LoadActiveVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT site, version FROM cp_fill_plans WHERE state = 'Active'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var active = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            active[reader.GetString(0)] = Math.Max(active.GetValueOrDefault(reader.GetString(0)), reader.GetInt64(1));
        }

        return active;
    }

    public async Task<bool> ActivateAsync(string site, long version, long expectedActive, DateTimeOffset pushedAt, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (_database.Provider == DatabaseProvider.PostgreSql)
        {
            // Two replicas pushing the same site at once: one waits for the other, then sees its result.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7000604)", cancellationToken);
        }

        long active;
        await using (var read = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM cp_fill_plans WHERE site = @site AND state = 'Active'"))
        {
            Add(read, "@site", site);
            active = ToInt64(await read.ExecuteScalarAsync(cancellationToken));
        }

        if (active != expectedActive)
        {
            return false;
        }

        await using (var supersede = Command(connection, transaction, "UPDATE cp_fill_plans SET state = 'Superseded' WHERE site = @site AND state = 'Active'"))
        {
            Add(supersede, "@site", site);
            await supersede.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var activate = Command(connection, transaction, "UPDATE cp_fill_plans SET state = 'Active', pushed_at = @at WHERE site = @site AND version = @version"))
        {
            Add(activate, "@site", site);
            Add(activate, "@version", version);
            Add(activate, "@at", pushedAt.ToUnixTimeMilliseconds());
            if (await activate.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task PruneAsync(string site, int keep, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            DELETE FROM cp_fill_plans WHERE site = @site AND state <> 'Active' AND version <= (
                SELECT COALESCE(MAX(version), 0) - @keep FROM cp_fill_plans WHERE site = @site)
            """);
        Add(command, "@site", site);
        Add(command, "@keep", (long)keep);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SavePinAsync(FillPin pin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pin);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "INSERT INTO cp_fill_pins (id, pin, created_at) VALUES (@id, @pin, @at)");
        Add(command, "@id", pin.Id);
        Add(command, "@pin", JsonSerializer.Serialize(pin, CdnJson.Default.FillPin));
        Add(command, "@at", pin.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FillPin>> LoadPinsAsync(CancellationToken cancellationToken)
        => await ListAsync(_database, "SELECT pin FROM cp_fill_pins ORDER BY created_at, id", null,
            reader => JsonSerializer.Deserialize(reader.GetString(0), CdnJson.Default.FillPin), cancellationToken);

    public async Task<bool> DeletePinAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "DELETE FROM cp_fill_pins WHERE id = @id");
        Add(command, "@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task SaveProgressAsync(FillProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO cp_fill_progress (node_id, site, progress, reported_at) VALUES (@id, @site, @progress, @at)
            ON CONFLICT (node_id) DO UPDATE SET site = excluded.site, progress = excluded.progress, reported_at = excluded.reported_at
            """);
        Add(command, "@id", progress.NodeId);
        Add(command, "@site", progress.Site);
        Add(command, "@progress", JsonSerializer.Serialize(progress, CdnJson.Default.FillProgress));
        Add(command, "@at", progress.ReportedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FillProgress>> LoadProgressAsync(string? site, CancellationToken cancellationToken)
        => await ListAsync(_database, site is null
                ? "SELECT progress FROM cp_fill_progress ORDER BY node_id"
                : "SELECT progress FROM cp_fill_progress WHERE site = @site ORDER BY node_id",
            command =>
            {
                if (site is not null)
                {
                    Add(command, "@site", site);
                }
            },
            reader => JsonSerializer.Deserialize(reader.GetString(0), CdnJson.Default.FillProgress),
            cancellationToken);

    private static FillPlanSummary ReadSummary(System.Data.Common.DbDataReader reader)
    {
        var summary = JsonSerializer.Deserialize(reader.GetString(0), CdnJson.Default.FillPlanSummary)
            ?? throw new InvalidDataException("empty fill plan summary");
        return summary with
        {
            State = Enum.Parse<FillPlanState>(reader.GetString(1)),
            PushedAt = reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
        };
    }

    private static string Compress(byte[] json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static byte[] Decompress(string text)
    {
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(text)), CompressionMode.Decompress);
        using var json = new MemoryStream();
        gzip.CopyTo(json);
        return json.ToArray();
    }
}
