using Cdn.Data;
using Packager.Jobs;
using Packager.Tests.Support;

namespace Packager.Tests.Jobs;

public sealed class SqliteJobStoreTests : JobStoreContract
{
    private readonly TempDirectory _dir = new("pkg-sqlite");

    private protected override Task<(JobStore Store, StateDatabase Db)> CreateAsync() => Stores.SqliteAsync(_dir, Time);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Running_jobs_left_by_a_dead_process_are_requeued_at_start()
    {
        await Store.SubmitAsync("a", "t1", "/s.mp4", "default", null, null, CancellationToken.None);
        await Store.ClaimAsync("dead", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(1, await Store.RequeueAbandonedAsync(CancellationToken.None));
        var job = await Store.ClaimAsync("next", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(("a", 2), (job!.Id, job.Attempts));
    }
}
