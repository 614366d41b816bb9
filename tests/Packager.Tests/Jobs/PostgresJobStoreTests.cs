using Cdn.Data;
using Packager.Jobs;
using Packager.Tests.Support;

namespace Packager.Tests.Jobs;

[Collection(nameof(PostgresCollection))]
public sealed class PostgresJobStoreTests : JobStoreContract
{
    private readonly PostgresFixture _postgres;

    public PostgresJobStoreTests(PostgresFixture postgres) => _postgres = postgres;

    private protected override async Task<(JobStore Store, StateDatabase Db)> CreateAsync()
        => await Stores.PostgresAsync(await _postgres.Server.CreateDatabaseAsync(), Time);

    [Fact]
    public async Task Workers_racing_on_one_queue_claim_every_job_exactly_once()
    {
        var connection = await _postgres.Server.CreateDatabaseAsync();
        var (seed, seedDb) = await Stores.PostgresAsync(connection, TimeProvider.System);
        await using var _ = seedDb;
        const int Jobs = 60;
        for (var i = 0; i < Jobs; i++)
        {
            await seed.SubmitAsync($"job{i:00}", $"title{i:00}", "/s.mp4", "default", null, null, CancellationToken.None);
        }

        // Eight workers, each with its own store and connection pool, as separate processes would have.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            var (store, db) = await Stores.PostgresAsync(connection, TimeProvider.System);
            await using (db)
            {
                var mine = new List<string>();
                while (await store.ClaimAsync($"worker{w}", TimeSpan.FromMinutes(5), CancellationToken.None) is { } job)
                {
                    mine.Add(job.Id);
                    Assert.True(await store.MarkPublishedAsync(job.Id, $"worker{w}", notify: false, CancellationToken.None));
                }

                return mine;
            }
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Jobs, all.Count);
        Assert.Equal(Jobs, all.Distinct().Count());
        Assert.True(claims.Count(c => c.Count > 0) > 1, "only one worker got jobs: the race was not exercised");
        Assert.All(await seed.ListAsync(null, 100, CancellationToken.None), j => Assert.Equal((JobState.Succeeded, 1), (j.State, j.Attempts)));
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_title_create_one_job()
    {
        var connection = await _postgres.Server.CreateDatabaseAsync();
        var (store, db) = await Stores.PostgresAsync(connection, TimeProvider.System);
        await using var _ = db;

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => store.SubmitAsync($"j{i}", "same", "/s.mp4", "default", null, null, CancellationToken.None)));

        Assert.Single(results, r => r is not null);
    }
}
