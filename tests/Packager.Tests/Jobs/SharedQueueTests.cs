using Packager.Jobs;
using Packager.Tests.Support;

namespace Packager.Tests.Jobs;

/// <summary>Two packager daemons sharing one PostgreSQL queue, as two machines would.</summary>
[Collection(nameof(PostgresCollection))]
public sealed class SharedQueueTests
{
    private readonly PostgresFixture _postgres;

    public SharedQueueTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Two_workers_on_one_postgres_queue_run_each_job_exactly_once()
    {
        var connection = await _postgres.Server.CreateDatabaseAsync();
        await using var controlPlane = await FakeControlPlane.StartAsync();
        using var dirA = new TempDirectory("pkg-wa");
        using var dirB = new TempDirectory("pkg-wb");
        using var origin = new TempDirectory("pkg-shared-origin");
        IDictionary<string, string> Settings(TempDirectory dir) => PackagerHost.Settings(dir, new Dictionary<string, string>(controlPlane.Settings())
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = connection,
            ["Packager:OriginRoot"] = origin.Path,
        });
        await using var a = await PackagerHost.StartAsync(Settings(dirA));
        await using var b = await PackagerHost.StartAsync(Settings(dirB));

        var source = await TestMedia.VideoAsync(640, 360, 4);
        var jobs = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            jobs.Add((await a.SubmitAsync(new { titleId = $"shared-{i}", source })).Id);
        }

        var done = new List<Packager.Api.JobView>();
        foreach (var id in jobs)
        {
            done.Add(await b.WaitAsync(id, j => j.Notification.State == NotificationState.Sent, TimeSpan.FromSeconds(120)));
        }

        Assert.All(done, j => Assert.Equal((JobState.Succeeded, 1), (j.State, j.Attempts)));
        Assert.Equal(2, done.Select(j => j.Worker).Distinct().Count());
        Assert.Equal(jobs.Count, controlPlane.Accepted.Count);
        Assert.Equal(done.Select(j => j.TitleId).Order(), controlPlane.Accepted.Select(t => t.TitleId).Order());
    }
}
