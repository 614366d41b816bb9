using Cdn.Data;
using Packager.Jobs;

namespace Packager.Tests.Support;

/// <summary>Job stores over real databases for tests.</summary>
internal static class Stores
{
    public static async Task<(JobStore Store, StateDatabase Db)> SqliteAsync(TempDirectory dir, TimeProvider time)
    {
        var db = new StateDatabase(new DatabaseOptions { EmbeddedPath = dir.Combine("jobs.db") });
        var store = new JobStore(db, time);
        await store.MigrateAsync(CancellationToken.None);
        return (store, db);
    }

    public static async Task<(JobStore Store, StateDatabase Db)> PostgresAsync(string connectionString, TimeProvider time)
    {
        var db = new StateDatabase(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString });
        var store = new JobStore(db, time);
        await store.MigrateAsync(CancellationToken.None);
        return (store, db);
    }
}
