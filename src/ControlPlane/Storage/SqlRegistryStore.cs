using System.Data.Common;
using System.Text.Json;
using Cdn.Contracts;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Registry;
using Cdn.Data;
using static Cdn.ControlPlane.Storage.Sql;

namespace Cdn.ControlPlane.Storage;

/// <summary>
/// <see cref="IRegistryStore"/> over <see cref="StateDatabase"/>: the same SQL on SQLite and PostgreSQL
/// (BIGINT and TEXT columns, <c>ON CONFLICT</c> upserts, times as Unix milliseconds). Documents are JSON
/// through <see cref="CdnJson"/>. Concurrent writers (replicas) are serialized per node by a revision column.
/// </summary>
internal sealed class SqlRegistryStore : IRegistryStore
{
    private const int MaxUpdateAttempts = 16;

    private static readonly string[] Schema =
    [
        """
        CREATE TABLE IF NOT EXISTS cp_nodes (
            node_id TEXT PRIMARY KEY,
            registration TEXT NOT NULL,
            registered_at BIGINT NOT NULL,
            last_heartbeat_at BIGINT NULL,
            healthy_since BIGINT NULL,
            unhealthy_count BIGINT NOT NULL,
            drained BIGINT NOT NULL,
            shutting_down BIGINT NOT NULL,
            last_report TEXT NULL,
            revision BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS cp_sites (
            name TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS cp_coverage_zones (
            id BIGINT PRIMARY KEY,
            document TEXT NOT NULL,
            version BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
    ];

    private const string NodeColumns = "node_id, registration, registered_at, last_heartbeat_at, healthy_since, unhealthy_count, drained, shutting_down, last_report, revision";

    private readonly StateDatabase _database;

    public SqlRegistryStore(StateDatabase database) => _database = database;

    public Task InitializeAsync(CancellationToken cancellationToken)
        => Sql.CreateSchemaAsync(_database, 7000600, Schema, cancellationToken);

    public async Task<IReadOnlyList<NodeRecord>> LoadNodesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {NodeColumns} FROM cp_nodes ORDER BY node_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<NodeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(ReadNode(reader));
        }

        return nodes;
    }

    public async Task<NodeRecord?> GetNodeAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await GetNodeAsync(connection, null, nodeId, cancellationToken);
    }

    public async Task<NodeRecord> RegisterAsync(NodeRegistration registration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO cp_nodes (node_id, registration, registered_at, last_heartbeat_at, healthy_since, unhealthy_count, drained, shutting_down, last_report, revision)
            VALUES (@id, @registration, @now, NULL, NULL, 0, 0, 0, NULL, 1)
            ON CONFLICT (node_id) DO UPDATE SET
                registration = excluded.registration,
                registered_at = excluded.registered_at,
                last_heartbeat_at = NULL,
                healthy_since = NULL,
                unhealthy_count = 0,
                shutting_down = 0,
                revision = cp_nodes.revision + 1
            """);
        Add(command, "@id", registration.NodeId);
        Add(command, "@registration", JsonSerializer.Serialize(registration, CdnJson.Default.NodeRegistration));
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
        return await GetNodeAsync(connection, null, registration.NodeId, cancellationToken)
            ?? throw new InvalidOperationException($"node {registration.NodeId} vanished right after registration");
    }

    public async Task<NodeRecord?> UpdateAsync(string nodeId, Func<NodeRecord, NodeRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await _database.OpenAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await GetNodeAsync(connection, null, nodeId, cancellationToken);
            if (current is null)
            {
                return null;
            }

            var next = change(current) with { Revision = current.Revision + 1 };
            await using var command = Command(connection, null, """
                UPDATE cp_nodes SET
                    last_heartbeat_at = @last, healthy_since = @since, unhealthy_count = @unhealthy,
                    drained = @drained, shutting_down = @shutting, last_report = @report, revision = @revision
                WHERE node_id = @id AND revision = @expected
                """);
            Add(command, "@last", next.Health.LastHeartbeatAt?.ToUnixTimeMilliseconds());
            Add(command, "@since", next.Health.HealthySince?.ToUnixTimeMilliseconds());
            Add(command, "@unhealthy", (long)next.Health.ConsecutiveUnhealthy);
            Add(command, "@drained", next.Drained ? 1L : 0L);
            Add(command, "@shutting", next.ShuttingDown ? 1L : 0L);
            Add(command, "@report", next.LastReport is null ? null : JsonSerializer.Serialize(next.LastReport, CdnJson.Default.NodeHeartbeat));
            Add(command, "@revision", next.Revision);
            Add(command, "@id", nodeId);
            Add(command, "@expected", current.Revision);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return next;
            }
        }

        throw new InvalidOperationException($"node {nodeId} kept changing under {MaxUpdateAttempts} concurrent updates");
    }

    public async Task<IReadOnlyList<SiteInfo>> LoadSitesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT site FROM cp_sites ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sites = new List<SiteInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize(reader.GetString(0), CdnJson.Default.SiteInfo) is { } site)
            {
                sites.Add(site);
            }
        }

        return sites;
    }

    public async Task SaveSiteAsync(SiteInfo site, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO cp_sites (name, site, updated_at) VALUES (@name, @site, @now)
            ON CONFLICT (name) DO UPDATE SET site = excluded.site, updated_at = excluded.updated_at
            """);
        Add(command, "@name", site.Name);
        Add(command, "@site", JsonSerializer.Serialize(site, CdnJson.Default.SiteInfo));
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredCoverageZones?> LoadCoverageZonesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT document, version, updated_at FROM cp_coverage_zones WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredCoverageZones(reader.GetString(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    }

    public async Task<long> SaveCoverageZonesAsync(string json, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO cp_coverage_zones (id, document, version, updated_at) VALUES (1, @document, 1, @now)
            ON CONFLICT (id) DO UPDATE SET document = excluded.document, version = cp_coverage_zones.version + 1, updated_at = excluded.updated_at
            RETURNING version
            """);
        Add(command, "@document", json);
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        return ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task<NodeRecord?> GetNodeAsync(DbConnection connection, DbTransaction? transaction, string nodeId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {NodeColumns} FROM cp_nodes WHERE node_id = @id");
        Add(command, "@id", nodeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadNode(reader) : null;
    }

    private static NodeRecord ReadNode(DbDataReader reader)
    {
        var registration = JsonSerializer.Deserialize(reader.GetString(1), CdnJson.Default.NodeRegistration)
            ?? throw new InvalidDataException($"node {reader.GetString(0)}: empty registration document");
        var history = new HealthHistory(
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            (int)reader.GetInt64(5));
        var report = reader.IsDBNull(8) ? null : JsonSerializer.Deserialize(reader.GetString(8), CdnJson.Default.NodeHeartbeat);
        return new NodeRecord(registration, history, reader.GetInt64(6) != 0, reader.GetInt64(7) != 0, report, reader.GetInt64(9));
    }
}
