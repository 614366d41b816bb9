using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Purge;
using Cdn.ControlPlane.Storage;
using Cdn.ControlPlane.Tests.Support;
using Cdn.Data;

namespace Cdn.ControlPlane.Tests.Storage;

/// <summary>The catalog, popularity, fill and purge stores: the same behaviour from SQLite and PostgreSQL.</summary>
public abstract class OperationsStoreTests : StateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    internal SqlCatalogStore Catalog { get; private set; } = null!;

    internal SqlPopularityStore Popularity { get; private set; } = null!;

    internal SqlFillStore Fill { get; private set; } = null!;

    internal SqlPurgeStore Purges { get; private set; } = null!;

    private protected override async Task OpenStoresAsync(StateDatabase database)
    {
        Catalog = new SqlCatalogStore(database);
        Popularity = new SqlPopularityStore(database);
        Fill = new SqlFillStore(database);
        Purges = new SqlPurgeStore(database);
        foreach (var init in new Func<CancellationToken, Task>[] { Catalog.InitializeAsync, Popularity.InitializeAsync, Fill.InitializeAsync, Purges.InitializeAsync })
        {
            await init(CancellationToken.None);
            await init(CancellationToken.None); // idempotent
        }
    }

    [Fact]
    public async Task A_title_reads_back_with_its_units_and_a_withdrawn_one_keeps_its_document()
    {
        var published = new TitlePublished("t1", "t1/master.m3u8", T0, 60, [], [new("t1/master.m3u8", 10), new("t1/720p/a.m4s", 100), new("t1/720p/b.m4s", 100)]);
        await Catalog.SaveTitleAsync(published, CatalogTitle.From(published, T0), CancellationToken.None);

        var title = Assert.Single(await Catalog.LoadTitlesAsync(CancellationToken.None));
        Assert.Equal([("/t1/720p/", 2, 200L), ("/t1/", 1, 10L)], title.Units.Select(u => (u.Path, u.Objects, u.Bytes)));
        Assert.True(await Catalog.WithdrawTitleAsync("t1", CancellationToken.None));
        Assert.Empty(await Catalog.LoadTitlesAsync(CancellationToken.None));
        Assert.Equal(3, (await Catalog.GetDocumentAsync("t1", CancellationToken.None))!.Objects.Count);
        Assert.False(await Catalog.WithdrawTitleAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Popularity_counts_add_up_per_site_window_and_object_and_old_windows_are_pruned()
    {
        var row = new PopularityRow("/t1/720p/a.m4s", "t1", T0, 5, 500);
        await Popularity.AddAsync([("ams", row), ("ams", row), ("fra", row), ("ams", row with { BucketStart = T0.AddHours(-30) })], CancellationToken.None);

        var recent = await Popularity.LoadAsync("ams", T0.AddHours(-1), CancellationToken.None);
        Assert.Equal((10L, 1000L), (Assert.Single(recent).Requests, recent[0].Bytes));
        Assert.Equal(3, (await Popularity.LoadAsync(null, T0.AddDays(-2), CancellationToken.None)).Count);
        Assert.Equal(1, await Popularity.PruneAsync(T0.AddHours(-1), CancellationToken.None));
    }

    [Fact]
    public async Task Plan_versions_are_unique_activation_is_checked_and_old_drafts_are_pruned()
    {
        for (var v = 1; v <= 5; v++)
        {
            Assert.True(await Fill.TryInsertPlanAsync(Summary(v), Plan(v), CancellationToken.None));
        }

        Assert.False(await Fill.TryInsertPlanAsync(Summary(3), Plan(3), CancellationToken.None)); // another replica took v3
        Assert.Equal(5, await Fill.MaxVersionAsync("ams", CancellationToken.None));
        Assert.True(await Fill.ActivateAsync("ams", 2, 0, T0, CancellationToken.None));
        Assert.False(await Fill.ActivateAsync("ams", 4, 0, T0, CancellationToken.None)); // v2 is active, not "none"
        Assert.True(await Fill.ActivateAsync("ams", 4, 2, T0.AddHours(1), CancellationToken.None));

        Assert.Equal(4, (await Fill.LoadActiveVersionsAsync(CancellationToken.None))["ams"]);
        var four = await Fill.GetSummaryAsync("ams", 4, CancellationToken.None);
        Assert.Equal((FillPlanState.Active, T0.AddHours(1)), (four!.State, four.PushedAt));
        Assert.Equal(FillPlanState.Superseded, (await Fill.GetSummaryAsync("ams", 2, CancellationToken.None))!.State);
        Assert.Equal("/t1/720p/", (await Fill.GetPlanAsync("ams", 4, CancellationToken.None))!.Add[0].Path);

        await Fill.PruneAsync("ams", 2, CancellationToken.None);
        Assert.Equal([5L, 4L], (await Fill.ListSummariesAsync("ams", 10, CancellationToken.None)).Select(s => s.Version));
    }

    [Fact]
    public async Task Pins_and_progress_round_trip()
    {
        await Fill.SavePinAsync(new FillPin("pin-1", null, "t1", null, T0.AddDays(1), "premiere", T0), CancellationToken.None);
        await Fill.SaveProgressAsync(new FillProgress("edge-1", "ams", 1, 1, 2, 10, 20, 5, 0, true, T0), CancellationToken.None);
        await Fill.SaveProgressAsync(new FillProgress("edge-1", "ams", 1, 2, 2, 20, 20, 5, 0, true, T0.AddMinutes(1), null, "done"), CancellationToken.None);

        Assert.Equal("premiere", Assert.Single(await Fill.LoadPinsAsync(CancellationToken.None)).Reason);
        Assert.Equal("done", Assert.Single(await Fill.LoadProgressAsync("ams", CancellationToken.None)).Activity);
        Assert.True(await Fill.DeletePinAsync("pin-1", CancellationToken.None));
        Assert.Empty(await Fill.LoadPinsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_purge_update_from_a_stale_revision_is_refused_and_completed_purges_leave_the_pending_list()
    {
        var purge = new PurgeRecord("purge-1", "cdn.test/t1/", PurgeKind.Prefix, T0, [new("edge-1", NodeRole.Edge, false, 0, null, null, 0, null, T0)], null, 1);
        await Purges.InsertAsync(purge, CancellationToken.None);

        Assert.True(await Purges.TryUpdateAsync(purge with { Revision = 2 }, 1, CancellationToken.None));
        Assert.False(await Purges.TryUpdateAsync(purge with { Revision = 2 }, 1, CancellationToken.None));
        Assert.Single(await Purges.LoadPendingAsync(CancellationToken.None));
        Assert.True(await Purges.TryUpdateAsync(purge with { CompletedAt = T0, Revision = 3 }, 2, CancellationToken.None));
        Assert.Empty(await Purges.LoadPendingAsync(CancellationToken.None));
        Assert.Equal("purge-1", Assert.Single(await Purges.ListAsync(10, CancellationToken.None)).PurgeId);
        await Purges.PruneAsync(T0.AddSeconds(1), CancellationToken.None);
        Assert.Null(await Purges.GetAsync("purge-1", CancellationToken.None));
    }

    private static FillPlanSummary Summary(long version)
        => new("ams", version, FillPlanState.Draft, T0, null, 0, 1, 100, 50, 1, 50, 0, 0, 0, 0, 1, 1, "test", []);

    private static FillPlan Plan(long version)
        => new("ams", version, T0, new FillWindow(new TimeOnly(2, 0), new TimeOnly(14, 0), "UTC"), 0, [new("/t1/720p/", 50, "t1", ["edge-1"], 2)], [], []);
}

public sealed class EmbeddedOperationsStoreTests : OperationsStoreTests
{
    protected override Task<DatabaseOptions> OptionsAsync() => EmbeddedOptions();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlOperationsStoreTests(PostgresFixture postgres) : OperationsStoreTests
{
    protected override async Task<DatabaseOptions> OptionsAsync()
        => new() { Provider = DatabaseProvider.PostgreSql, ConnectionString = await postgres.Server.CreateDatabaseAsync() };
}
