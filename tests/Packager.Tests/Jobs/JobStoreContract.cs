using Cdn.Data;
using Packager.Jobs;
using Packager.Ladder;
using Packager.Packaging;

namespace Packager.Tests.Jobs;

/// <summary>
/// The job state machine as the store enforces it, run against SQLite and PostgreSQL alike, on a fake clock
/// (leases expire by advancing it, never by sleeping).
/// </summary>
public abstract class JobStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new();

    private protected JobStore Store { get; private set; } = null!;

    private StateDatabase? _db;

    private protected abstract Task<(JobStore Store, StateDatabase Db)> CreateAsync();

    public async Task InitializeAsync() => (Store, _db) = await CreateAsync();

    public virtual async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    private Task<Job?> Submit(string id, string title = "t1", IReadOnlyList<RungOptions>? ladder = null)
        => Store.SubmitAsync(id, title, "/src/" + id + ".mp4", "default", ladder, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)), CancellationToken.None);

    [Fact]
    public async Task A_submitted_job_is_queued_with_what_was_submitted()
    {
        var job = await Submit("a", ladder: [new RungOptions { Name = "low", Height = 240, BitrateKbps = 300 }]);

        Assert.NotNull(job);
        Assert.Equal((JobState.Queued, Stage.Queued, 0.0, 0), (job.State, job.Stage, job.Progress, job.Attempts));
        Assert.Equal(Time.GetUtcNow(), job.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)), job.ReleaseDate);
        Assert.Equal("low", Assert.Single(job.Ladder!).Name);
        Assert.Equal(job with { Ladder = null }, (await Store.GetAsync("a", CancellationToken.None))! with { Ladder = null });
    }

    [Fact]
    public async Task A_title_cannot_have_two_active_jobs()
    {
        await Submit("a", "same");
        Assert.Null(await Submit("b", "same"));
        Assert.NotNull(await Submit("c", "other"));
    }

    [Fact]
    public async Task Jobs_are_claimed_oldest_first_and_only_once()
    {
        await Submit("a", "t1");
        Time.Advance(TimeSpan.FromSeconds(1));
        await Submit("b", "t2");

        var first = await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        var second = await Store.ClaimAsync("w2", Lease, CancellationToken.None);
        var none = await Store.ClaimAsync("w3", Lease, CancellationToken.None);

        Assert.Equal(("a", "w1", JobState.Running, 1), (first!.Id, first.LeaseOwner, first.State, first.Attempts));
        Assert.Equal(("b", "w2"), (second!.Id, second.LeaseOwner));
        Assert.Null(none);
        Assert.Equal(Time.GetUtcNow() + Lease, first.LeaseExpires);
    }

    [Fact]
    public async Task A_crashed_workers_job_is_taken_over_when_its_lease_expires_and_the_old_owner_is_fenced_out()
    {
        await Submit("a");
        await Store.ClaimAsync("dead", Lease, CancellationToken.None);

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await Store.ClaimAsync("w2", Lease, CancellationToken.None));

        Time.Advance(TimeSpan.FromSeconds(2));
        var taken = await Store.ClaimAsync("w2", Lease, CancellationToken.None);
        Assert.Equal(("w2", 2), (taken!.LeaseOwner, taken.Attempts));

        Assert.Null(await Store.HeartbeatAsync("a", "dead", Lease, Stage.Encoding, 50, CancellationToken.None));
        Assert.False(await Store.MarkPublishedAsync("a", "dead", notify: true, CancellationToken.None));
        Assert.False(await Store.FinishAsync("a", "dead", JobState.Failed, "x", CancellationToken.None));
        Assert.Equal(JobState.Running, (await Store.GetAsync("a", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Heartbeats_keep_the_lease_and_record_stage_and_progress()
    {
        await Submit("a");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(20));
            Assert.False(await Store.HeartbeatAsync("a", "w1", Lease, Stage.Encoding, 10 * i, CancellationToken.None));
        }

        Assert.Null(await Store.ClaimAsync("w2", Lease, CancellationToken.None));
        var job = await Store.GetAsync("a", CancellationToken.None);
        Assert.Equal((Stage.Encoding, 40.0), (job!.Stage, job.Progress));
    }

    [Fact]
    public async Task Publishing_succeeds_the_job_and_makes_its_notification_due()
    {
        await Submit("a");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        Assert.True(await Store.SaveResultAsync("a", "w1", Result("t1"), CancellationToken.None));
        Assert.True(await Store.MarkPublishedAsync("a", "w1", notify: true, CancellationToken.None));

        var job = (await Store.GetAsync("a", CancellationToken.None))!;
        Assert.Equal((JobState.Succeeded, Stage.Done, 100.0, NotificationState.Pending), (job.State, job.Stage, job.Progress, job.NotifyState));
        Assert.Equal("libx264", job.Result!.Encoder);
        Assert.Equal(Time.GetUtcNow(), job.PublishedAt);
        Assert.Equal("w1", job.LeaseOwner);
        Assert.Null(job.LeaseExpires);
    }

    [Fact]
    public async Task Without_a_control_plane_the_notification_is_skipped()
    {
        await Submit("a");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        await Store.MarkPublishedAsync("a", "w1", notify: false, CancellationToken.None);
        Assert.Equal(NotificationState.Skipped, (await Store.GetAsync("a", CancellationToken.None))!.NotifyState);
        Assert.Null(await Store.ClaimNotificationAsync(Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Failed_notifications_wait_for_their_retry_time_and_are_claimed_by_one_sender_at_a_time()
    {
        await Submit("a");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        await Store.SaveResultAsync("a", "w1", Result("t1"), CancellationToken.None);
        await Store.MarkPublishedAsync("a", "w1", notify: true, CancellationToken.None);

        var claimed = await Store.ClaimNotificationAsync(Lease, CancellationToken.None);
        Assert.Equal("a", claimed!.Id);
        Assert.Null(await Store.ClaimNotificationAsync(Lease, CancellationToken.None));

        await Store.RecordNotificationAsync("a", "HTTP 503", Time.GetUtcNow() + TimeSpan.FromSeconds(10), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(await Store.ClaimNotificationAsync(Lease, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await Store.ClaimNotificationAsync(Lease, CancellationToken.None));

        await Store.RecordNotificationAsync("a", null, null, CancellationToken.None);
        var job = (await Store.GetAsync("a", CancellationToken.None))!;
        Assert.Equal((NotificationState.Sent, 2, (string?)null), (job.NotifyState, job.NotifyAttempts, job.NotifyError));
    }

    [Fact]
    public async Task Cancelling_a_queued_job_ends_it_and_a_running_one_is_asked_through_its_heartbeat()
    {
        await Submit("queued", "t1");
        await Submit("running", "t2");
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.ClaimAsync("w1", Lease, CancellationToken.None); // "queued" is older: claim it, then cancel the other way round
        await Store.ReleaseAsync("queued", "w1", CancellationToken.None);
        var running = await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        Assert.Equal("queued", running!.Id);

        var other = await Store.CancelAsync("running", CancellationToken.None);
        Assert.Equal(JobState.Cancelled, other!.State);

        await Store.CancelAsync("queued", CancellationToken.None);
        Assert.True(await Store.HeartbeatAsync("queued", "w1", Lease, Stage.Encoding, 10, CancellationToken.None));
        Assert.True(await Store.FinishAsync("queued", "w1", JobState.Cancelled, "cancelled by an operator", CancellationToken.None));
        Assert.Equal(JobState.Cancelled, (await Store.GetAsync("queued", CancellationToken.None))!.State);
        Assert.Null(await Store.CancelAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task A_released_job_is_queued_again_without_spending_an_attempt()
    {
        await Submit("a");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        Assert.True(await Store.ReleaseAsync("a", "w1", CancellationToken.None));

        var job = (await Store.GetAsync("a", CancellationToken.None))!;
        Assert.Equal((JobState.Queued, 0, (string?)null), (job.State, job.Attempts, job.LeaseOwner));
        Assert.Equal(1, (await Store.ClaimAsync("w2", Lease, CancellationToken.None))!.Attempts);
    }

    [Fact]
    public async Task Failed_and_cancelled_jobs_can_be_retried_but_succeeded_ones_cannot()
    {
        await Submit("a", "t1");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        await Store.FinishAsync("a", "w1", JobState.Failed, "the source has no video stream", CancellationToken.None);

        var (retried, ok) = await Store.RetryAsync("a", CancellationToken.None);
        Assert.True(ok);
        Assert.Equal((JobState.Queued, (string?)null, 0), (retried!.State, retried.Error, retried.Attempts));

        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        await Store.MarkPublishedAsync("a", "w1", notify: false, CancellationToken.None);
        var (same, again) = await Store.RetryAsync("a", CancellationToken.None);
        Assert.False(again);
        Assert.Equal(JobState.Succeeded, same!.State);
        Assert.Equal((null, false), await Store.RetryAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task A_retry_waits_while_the_title_has_another_active_job()
    {
        await Submit("old", "t1");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);
        await Store.FinishAsync("old", "w1", JobState.Failed, "x", CancellationToken.None);
        await Submit("new", "t1");

        var (_, retried) = await Store.RetryAsync("old", CancellationToken.None);
        Assert.False(retried);
    }

    [Fact]
    public async Task Lists_are_newest_first_and_counts_are_by_state()
    {
        await Submit("a", "t1");
        Time.Advance(TimeSpan.FromSeconds(1));
        await Submit("b", "t2");
        Time.Advance(TimeSpan.FromSeconds(1));
        await Submit("c", "t3");
        await Store.ClaimAsync("w1", Lease, CancellationToken.None);

        Assert.Equal(["c", "b", "a"], (await Store.ListAsync(null, 10, CancellationToken.None)).Select(j => j.Id));
        Assert.Equal(["c", "b"], (await Store.ListAsync(JobState.Queued, 10, CancellationToken.None)).Select(j => j.Id));
        Assert.Equal(["c"], (await Store.ListAsync(null, 1, CancellationToken.None)).Select(j => j.Id));
        var counts = await Store.CountAsync(CancellationToken.None);
        Assert.Equal((2L, 1L, 0L), (counts[JobState.Queued], counts[JobState.Running], counts[JobState.Failed]));
    }

    internal static PackageResult Result(string title) => new()
    {
        TitleId = title,
        MasterPlaylist = $"{title}/master.m3u8",
        DurationSeconds = 5,
        SourceWidth = 640,
        SourceHeight = 360,
        SourceRotation = 0,
        FrameRate = 30,
        Encoder = "libx264",
        HardwareEncoder = false,
        EncoderReason = "test",
        EncodeSeconds = 1,
        RealtimeFactor = 5,
        Renditions = [new RenditionResult("360p", "video", 640, 360, 900_000, 800_000, "avc1.64001e", $"{title}/360p/index.m3u8", 2, 500_000)],
        Objects = [new Cdn.Contracts.Catalog.CatalogObject($"{title}/master.m3u8", 300)],
    };
}
