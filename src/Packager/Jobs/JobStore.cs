using System.Data.Common;
using System.Text.Json;
using Cdn.Data;
using Packager.Ladder;
using Packager.Packaging;

namespace Packager.Jobs;

/// <summary>
/// The job queue in the state database: an embedded SQLite file by default, PostgreSQL when several packager
/// processes share one queue. A worker claims the oldest runnable job in one statement — queued, or running
/// under a lease that expired because its worker died — and holds it with a lease it renews by heartbeat. On
/// PostgreSQL the claim's row lock is taken with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent workers never
/// claim the same job and never wait on each other; SQLite serializes writers, so the same statement without
/// the clause is equally safe there. Every write by a worker is fenced by its lease (<c>lease_owner = @owner</c>):
/// a worker that lost its lease can neither publish nor overwrite the job.
/// Times are Unix milliseconds from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class JobStore
{
    private const string Columns = "id, title_id, source, profile, ladder, release_date, state, stage, progress, attempts, error, cancel_requested, lease_owner, lease_expires, result, created_at, updated_at, started_at, finished_at, published_at, notify_state, notify_attempts, notify_next_at, notify_error";

    private readonly StateDatabase _db;
    private readonly TimeProvider _time;

    public JobStore(StateDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    private bool IsPostgres => _db.Provider == DatabaseProvider.PostgreSql;

    private string SkipLocked => IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates the table and indexes when missing (concurrent starts on PostgreSQL serialize on an advisory lock).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (IsPostgres)
        {
            await ExecuteAsync(connection, tx, "SELECT pg_advisory_xact_lock(604201)", cancellationToken);
        }

        var real = IsPostgres ? "DOUBLE PRECISION" : "REAL";
        await ExecuteAsync(connection, tx, $"""
            CREATE TABLE IF NOT EXISTS packager_jobs (
                id TEXT PRIMARY KEY,
                title_id TEXT NOT NULL,
                source TEXT NOT NULL,
                profile TEXT NOT NULL,
                ladder TEXT NULL,
                release_date TEXT NULL,
                state TEXT NOT NULL,
                stage TEXT NOT NULL,
                progress {real} NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                error TEXT NULL,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                lease_owner TEXT NULL,
                lease_expires BIGINT NULL,
                result TEXT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                started_at BIGINT NULL,
                finished_at BIGINT NULL,
                published_at BIGINT NULL,
                notify_state TEXT NOT NULL DEFAULT 'None',
                notify_attempts INTEGER NOT NULL DEFAULT 0,
                notify_next_at BIGINT NULL,
                notify_error TEXT NULL
            )
            """, cancellationToken);
        // One active job per title: two concurrent jobs would race to publish the same directory.
        await ExecuteAsync(connection, tx, "CREATE UNIQUE INDEX IF NOT EXISTS packager_jobs_active_title ON packager_jobs (title_id) WHERE state IN ('Queued', 'Running')", cancellationToken);
        await ExecuteAsync(connection, tx, "CREATE INDEX IF NOT EXISTS packager_jobs_runnable ON packager_jobs (state, created_at)", cancellationToken);
        await ExecuteAsync(connection, tx, "CREATE INDEX IF NOT EXISTS packager_jobs_notify ON packager_jobs (notify_state, notify_next_at)", cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Adds a queued job; null when the title already has a queued or running job.</summary>
    public async Task<Job?> SubmitAsync(string id, string titleId, string source, string profile, IReadOnlyList<RungOptions>? ladder, DateTimeOffset? releaseDate, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            INSERT INTO packager_jobs (id, title_id, source, profile, ladder, release_date, state, stage, created_at, updated_at)
            SELECT @id, @title, @source, @profile, @ladder, @release, 'Queued', 'Queued', @now, @now
            WHERE NOT EXISTS (SELECT 1 FROM packager_jobs WHERE title_id = @title AND state IN ('Queued', 'Running'))
            RETURNING {Columns}
            """);
        Add(command, "id", id);
        Add(command, "title", titleId);
        Add(command, "source", source);
        Add(command, "profile", profile);
        Add(command, "ladder", ladder is null ? null : JsonSerializer.Serialize(ladder.ToList(), PackagerJson.Default.ListRungOptions));
        Add(command, "release", releaseDate?.ToString("O"));
        Add(command, "now", now);
        try
        {
            return await ReadOneAsync(command, cancellationToken);
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            return null; // lost a race with a concurrent submission of the same title
        }
    }

    /// <summary>
    /// Claims the oldest runnable job for <paramref name="owner"/>: a queued one, or a running one whose lease
    /// expired (its worker crashed). Null when there is none.
    /// </summary>
    public async Task<Job?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            UPDATE packager_jobs
            SET state = 'Running', lease_owner = @owner, lease_expires = @expires, attempts = attempts + 1,
                started_at = COALESCE(started_at, @now), updated_at = @now
            WHERE id = (
                SELECT id FROM packager_jobs
                WHERE state = 'Queued' OR (state = 'Running' AND lease_expires < @now)
                ORDER BY created_at, id
                LIMIT 1{SkipLocked})
            RETURNING {Columns}
            """);
        Add(command, "owner", owner);
        Add(command, "expires", now + (long)lease.TotalMilliseconds);
        Add(command, "now", now);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>
    /// Renews the lease and records progress. Returns null when <paramref name="owner"/> no longer holds the job
    /// (lease lost to another worker, or the job was changed under it), else whether cancellation was requested.
    /// </summary>
    public async Task<bool?> HeartbeatAsync(string id, string owner, TimeSpan lease, Stage stage, double progress, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs SET lease_expires = @expires, updated_at = @now, stage = @stage, progress = @progress
            WHERE id = @id AND lease_owner = @owner AND state = 'Running'
            RETURNING cancel_requested
            """);
        Add(command, "expires", now + (long)lease.TotalMilliseconds);
        Add(command, "now", now);
        Add(command, "stage", stage.ToString());
        Add(command, "progress", progress);
        Add(command, "id", id);
        Add(command, "owner", owner);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    /// <summary>Stores the packaging result before publishing (a resumed job needs it to notify). False when the lease is lost.</summary>
    public async Task<bool> SaveResultAsync(string id, string owner, PackageResult result, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs SET result = @result, stage = 'Publishing', updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'Running'
            """);
        Add(command, "result", JsonSerializer.Serialize(result, PackagerJson.Default.PackageResult));
        Add(command, "now", Now);
        Add(command, "id", id);
        Add(command, "owner", owner);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records the publication: the job succeeds and its notification becomes due (or skipped). False when the lease is lost.</summary>
    public async Task<bool> MarkPublishedAsync(string id, string owner, bool notify, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs
            SET state = 'Succeeded', stage = 'Done', progress = 100, published_at = @now, finished_at = @now, updated_at = @now,
                lease_expires = NULL, error = NULL,
                notify_state = @notify, notify_next_at = @next
            WHERE id = @id AND lease_owner = @owner AND state = 'Running'
            """);
        Add(command, "now", now);
        Add(command, "notify", (notify ? NotificationState.Pending : NotificationState.Skipped).ToString());
        Add(command, "next", notify ? now : null);
        Add(command, "id", id);
        Add(command, "owner", owner);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Ends a running job as Failed or Cancelled. False when the lease is lost.</summary>
    public async Task<bool> FinishAsync(string id, string owner, JobState state, string? error, CancellationToken cancellationToken)
    {
        if (state is not (JobState.Failed or JobState.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "use MarkPublishedAsync for success");
        }

        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs
            SET state = @state, stage = 'Done', error = @error, finished_at = @now, updated_at = @now, lease_expires = NULL
            WHERE id = @id AND lease_owner = @owner AND state = 'Running'
            """);
        Add(command, "state", state.ToString());
        Add(command, "error", error);
        Add(command, "now", now);
        Add(command, "id", id);
        Add(command, "owner", owner);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A stopping worker hands its job back to the queue at once (the run does not count as an attempt).</summary>
    public async Task<bool> ReleaseAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs
            SET state = 'Queued', stage = 'Queued', progress = 0, lease_owner = NULL, lease_expires = NULL,
                attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'Running'
            """);
        Add(command, "now", Now);
        Add(command, "id", id);
        Add(command, "owner", owner);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// With the embedded store only one process uses the file (the daemon holds a lock), so every running job
    /// at start belongs to a process that died: requeue them now instead of waiting for their leases to expire.
    /// </summary>
    public async Task<int> RequeueAbandonedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs SET state = 'Queued', lease_owner = NULL, lease_expires = NULL, updated_at = @now
            WHERE state = 'Running'
            """);
        Add(command, "now", Now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Cancels a queued job at once, or asks the worker of a running one to stop. Returns the job after the change (null if unknown).</summary>
    public async Task<Job?> CancelAsync(string id, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using (var queued = Command(connection, """
            UPDATE packager_jobs SET state = 'Cancelled', stage = 'Done', finished_at = @now, updated_at = @now, error = 'cancelled by an operator'
            WHERE id = @id AND state = 'Queued'
            """))
        {
            Add(queued, "now", now);
            Add(queued, "id", id);
            await queued.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var running = Command(connection, "UPDATE packager_jobs SET cancel_requested = 1, updated_at = @now WHERE id = @id AND state = 'Running'"))
        {
            Add(running, "now", now);
            Add(running, "id", id);
            await running.ExecuteNonQueryAsync(cancellationToken);
        }

        return await GetAsync(connection, id, cancellationToken);
    }

    /// <summary>Queues a failed or cancelled job again. Null when it is unknown; the job unchanged when it cannot be retried.</summary>
    public async Task<(Job? Job, bool Retried)> RetryAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            UPDATE packager_jobs
            SET state = 'Queued', stage = 'Queued', progress = 0, attempts = 0, error = NULL, cancel_requested = 0, result = NULL,
                started_at = NULL, finished_at = NULL, updated_at = @now
            WHERE id = @id AND state IN ('Failed', 'Cancelled')
              AND NOT EXISTS (SELECT 1 FROM packager_jobs other WHERE other.title_id = packager_jobs.title_id AND other.state IN ('Queued', 'Running'))
            RETURNING {Columns}
            """);
        Add(command, "now", Now);
        Add(command, "id", id);
        Job? retried;
        try
        {
            retried = await ReadOneAsync(command, cancellationToken);
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            retried = null;
        }

        return retried is not null ? (retried, true) : (await GetAsync(connection, id, cancellationToken), false);
    }

    /// <summary>One job, or null.</summary>
    public async Task<Job?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <summary>The newest jobs first, optionally in one state.</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(JobState? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM packager_jobs {(state is null ? "" : "WHERE state = @state ")}ORDER BY created_at DESC, id DESC LIMIT @limit");
        if (state is not null)
        {
            Add(command, "state", state.Value.ToString());
        }

        Add(command, "limit", (long)limit);
        var jobs = new List<Job>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    /// <summary>Job counts per state (for the metrics).</summary>
    public async Task<IReadOnlyDictionary<JobState, long>> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT state, COUNT(*) FROM packager_jobs GROUP BY state");
        var counts = Enum.GetValues<JobState>().ToDictionary(s => s, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Enum.TryParse<JobState>(reader.GetString(0), out var state))
            {
                counts[state] = Long(reader, 1);
            }
        }

        return counts;
    }

    /// <summary>Claims the next due notification (pushing its next attempt out by <paramref name="lease"/> so no other worker sends it meanwhile).</summary>
    public async Task<Job?> ClaimNotificationAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            UPDATE packager_jobs SET notify_next_at = @leased
            WHERE id = (
                SELECT id FROM packager_jobs
                WHERE notify_state = 'Pending' AND notify_next_at <= @now
                ORDER BY notify_next_at, id
                LIMIT 1{SkipLocked})
            RETURNING {Columns}
            """);
        Add(command, "leased", now + (long)lease.TotalMilliseconds);
        Add(command, "now", now);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Records a notification attempt: sent, or failed with the next attempt at <paramref name="retryAt"/>.</summary>
    public async Task RecordNotificationAsync(string id, string? error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE packager_jobs
            SET notify_state = @state, notify_attempts = notify_attempts + 1, notify_error = @error, notify_next_at = @next, updated_at = @now
            WHERE id = @id AND notify_state = 'Pending'
            """);
        Add(command, "state", (error is null ? NotificationState.Sent : NotificationState.Pending).ToString());
        Add(command, "error", error);
        Add(command, "next", error is null ? null : retryAt?.ToUnixTimeMilliseconds());
        Add(command, "now", Now);
        Add(command, "id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Job?> GetAsync(DbConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {Columns} FROM packager_jobs WHERE id = @id");
        Add(command, "id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    private static async Task<Job?> ReadOneAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static Job Read(DbDataReader r)
    {
        return new Job
        {
            Id = r.GetString(0),
            TitleId = r.GetString(1),
            Source = r.GetString(2),
            Profile = r.GetString(3),
            Ladder = r.IsDBNull(4) ? null : JsonSerializer.Deserialize(r.GetString(4), PackagerJson.Default.ListRungOptions),
            ReleaseDate = r.IsDBNull(5) ? null : DateTimeOffset.Parse(r.GetString(5), System.Globalization.CultureInfo.InvariantCulture),
            State = Enum.Parse<JobState>(r.GetString(6)),
            Stage = Enum.Parse<Stage>(r.GetString(7)),
            Progress = Convert.ToDouble(r.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
            Attempts = (int)Long(r, 9),
            Error = r.IsDBNull(10) ? null : r.GetString(10),
            CancelRequested = Long(r, 11) != 0,
            LeaseOwner = r.IsDBNull(12) ? null : r.GetString(12),
            LeaseExpires = Time(r, 13),
            Result = r.IsDBNull(14) ? null : JsonSerializer.Deserialize(r.GetString(14), PackagerJson.Default.PackageResult),
            CreatedAt = Time(r, 15)!.Value,
            UpdatedAt = Time(r, 16)!.Value,
            StartedAt = Time(r, 17),
            FinishedAt = Time(r, 18),
            PublishedAt = Time(r, 19),
            NotifyState = Enum.Parse<NotificationState>(r.GetString(20)),
            NotifyAttempts = (int)Long(r, 21),
            NotifyNextAt = Time(r, 22),
            NotifyError = r.IsDBNull(23) ? null : r.GetString(23),
        };
    }

    private static DateTimeOffset? Time(DbDataReader r, int ordinal)
        => r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Long(r, ordinal));

    /// <summary>Integers come back as Int32 or Int64 depending on the provider and column type.</summary>
    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        command.Transaction = tx;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool IsUniqueViolation(DbException ex)
        => ex.SqlState == "23505" // PostgreSQL unique_violation
            || (ex is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 }); // SQLITE_CONSTRAINT
}
