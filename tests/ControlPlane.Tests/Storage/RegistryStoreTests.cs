using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Storage;
using Cdn.ControlPlane.Tests.Support;
using Cdn.Data;

namespace Cdn.ControlPlane.Tests.Storage;

/// <summary>The same behaviour from both stores.</summary>
public abstract class RegistryStoreTests : StateStoreTests
{
    internal SqlRegistryStore Store { get; private set; } = null!;

    private protected override async Task OpenStoresAsync(StateDatabase database)
    {
        Store = new SqlRegistryStore(database);
        await Store.InitializeAsync(CancellationToken.None);
        await Store.InitializeAsync(CancellationToken.None); // idempotent
    }

    private static NodeRegistration Registration(string id = "edge-1", string site = "ams")
        => new(id, NodeRole.Edge, site, ["10.0.0.1", "2001:db8::1"], 10, new Uri("http://10.0.0.1:9000/"), "1.0");

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_registered_node_reads_back_as_registered()
    {
        await Store.RegisterAsync(Registration(), T0, CancellationToken.None);

        var node = Assert.Single(await Store.LoadNodesAsync(CancellationToken.None));

        Assert.Equal(Registration().Addresses, node.Registration.Addresses);
        Assert.Equal(new Uri("http://10.0.0.1:9000/"), node.Registration.AdminUrl);
        Assert.Equal(T0, node.Health.RegisteredAt);
        Assert.Null(node.Health.LastHeartbeatAt);
    }

    [Fact]
    public async Task Updates_persist_health_history_drain_and_the_last_report()
    {
        await Store.RegisterAsync(Registration(), T0, CancellationToken.None);
        var report = new NodeHeartbeat("edge-1", T0, new NodeHealthReport(true, 2, 2, 100, 0, []), new NodeLoadReport(1.5, 10, 20), new CacheStatsReport(1, 2, 3, 4, 3, 5, 1));

        await Store.UpdateAsync("edge-1", n => n with { Health = new HealthHistory(T0, T0.AddSeconds(5), T0.AddSeconds(5), 0), Drained = true, LastReport = report }, CancellationToken.None);
        var node = await Store.GetNodeAsync("edge-1", CancellationToken.None);

        Assert.NotNull(node);
        Assert.True(node.Drained);
        Assert.Equal(T0.AddSeconds(5), node.Health.HealthySince);
        Assert.Equal(1.5, node.LastReport!.Load.GbpsOut);
    }

    [Fact]
    public async Task Registering_again_restarts_health_but_keeps_the_operator_drain()
    {
        await Store.RegisterAsync(Registration(), T0, CancellationToken.None);
        await Store.UpdateAsync("edge-1", n => n with { Drained = true, ShuttingDown = true, Health = n.Health with { HealthySince = T0 } }, CancellationToken.None);

        var again = await Store.RegisterAsync(Registration(site: "fra"), T0.AddMinutes(1), CancellationToken.None);

        Assert.True(again.Drained);
        Assert.False(again.ShuttingDown);
        Assert.Null(again.Health.HealthySince);
        Assert.Equal("fra", again.Registration.Site);
    }

    [Fact]
    public async Task Updating_an_unknown_node_returns_null()
        => Assert.Null(await Store.UpdateAsync("nope", n => n, CancellationToken.None));

    [Fact]
    public async Task Concurrent_updates_of_one_node_are_all_applied()
    {
        await Store.RegisterAsync(Registration(), T0, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Store.UpdateAsync("edge-1", n => n with { Health = n.Health with { ConsecutiveUnhealthy = n.Health.ConsecutiveUnhealthy + 1 } }, CancellationToken.None))));

        Assert.Equal(8, (await Store.GetNodeAsync("edge-1", CancellationToken.None))!.Health.ConsecutiveUnhealthy);
    }

    [Fact]
    public async Task Sites_and_coverage_zones_are_stored_with_versions()
    {
        var site = new SiteInfo("lon", "London", new FillWindow(new TimeOnly(2, 0), new TimeOnly(14, 0), "Europe/London"), 1000, ["ams"], ["uk"]);
        await Store.SaveSiteAsync(site, T0, CancellationToken.None);
        await Store.SaveSiteAsync(site with { CapacityBytes = 2000 }, T0, CancellationToken.None);

        Assert.Equal(2000, Assert.Single(await Store.LoadSitesAsync(CancellationToken.None)).CapacityBytes);
        Assert.Null(await Store.LoadCoverageZonesAsync(CancellationToken.None));
        Assert.Equal(1, await Store.SaveCoverageZonesAsync("{\"coverageZones\":{}}", T0, CancellationToken.None));
        Assert.Equal(2, await Store.SaveCoverageZonesAsync("{\"coverageZones\":{\"a\":{}}}", T0, CancellationToken.None));
        var stored = await Store.LoadCoverageZonesAsync(CancellationToken.None);
        Assert.Equal((2L, "{\"coverageZones\":{\"a\":{}}}"), (stored!.Version, stored.Json));
    }
}

public sealed class EmbeddedRegistryStoreTests : RegistryStoreTests
{
    protected override Task<DatabaseOptions> OptionsAsync() => EmbeddedOptions();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRegistryStoreTests : RegistryStoreTests
{
    private readonly PostgresFixture _postgres;

    public PostgreSqlRegistryStoreTests(PostgresFixture postgres) => _postgres = postgres;

    protected override async Task<DatabaseOptions> OptionsAsync()
        => new() { Provider = DatabaseProvider.PostgreSql, ConnectionString = await _postgres.Server.CreateDatabaseAsync() };
}
