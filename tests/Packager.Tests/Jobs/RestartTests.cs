using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Packager.Api;
using Packager.Jobs;
using Packager.Packaging;
using Packager.Publishing;
using Packager.Tests.Support;

namespace Packager.Tests.Jobs;

/// <summary>Restarts and crashes mid-job: the job resumes or restarts, nothing is lost, nothing is published twice.</summary>
public sealed class RestartTests
{
    private static readonly Dictionary<string, string> Slow = new() { ["Encoding:SoftwarePreset"] = "medium" };

    [Fact]
    public async Task A_host_stopped_mid_encode_hands_the_job_back_and_the_next_start_publishes_it_once()
    {
        using var dir = new TempDirectory("pkg-restart");
        await using var controlPlane = await FakeControlPlane.StartAsync();
        var source = await TestMedia.VideoAsync(1280, 720, 20);
        JobView job;
        await using (var first = await PackagerHost.StartAsync(PackagerHost.Settings(dir, new Dictionary<string, string>(controlPlane.Settings().Concat(Slow)))))
        {
            job = await first.SubmitAsync(new { titleId = "resumed", source });
            await first.WaitAsync(job.Id, j => j.Stage == Stage.Encoding);
            await first.StopAsync();
        }

        Assert.False(Directory.Exists(dir.Combine("origin", "resumed")));
        await using var second = await PackagerHost.StartAsync(PackagerHost.Settings(dir, controlPlane.Settings()));
        var done = await second.WaitFinishedAsync(job.Id);
        await second.WaitAsync(job.Id, j => j.Notification.State == NotificationState.Sent);

        Assert.Equal((JobState.Succeeded, 1), (done.State, done.Attempts));
        Assert.Equal("resumed", Assert.Single(controlPlane.Accepted).TitleId);
        Assert.True(second.Services.GetRequiredService<OriginPublisher>().IsPublishedBy("resumed", job.Id));
    }

    [Fact]
    public async Task A_killed_worker_process_loses_nothing_and_the_restarted_one_publishes_once()
    {
        using var dir = new TempDirectory("pkg-kill");
        await using var controlPlane = await FakeControlPlane.StartAsync();
        var source = await TestMedia.VideoAsync(1280, 720, 20);
        var settings = PackagerHost.Settings(dir, controlPlane.Settings());
        string id;
        await using (var doomed = await PackagerProcess.StartAsync(new Dictionary<string, string>(settings) { ["Encoding:SoftwarePreset"] = "medium" }))
        {
            var response = await doomed.Http.PostAsJsonAsync("/api/v1/jobs", new { titleId = "survivor", source });
            id = (await response.Content.ReadFromJsonAsync(PackagerJson.Default.JobView))!.Id;
            await JobPoll.UntilAsync(doomed.Http, id, j => j.Stage == Stage.Encoding);
            await doomed.KillAsync();
        }

        Assert.False(Directory.Exists(dir.Combine("origin", "survivor")));
        await using var restarted = await PackagerProcess.StartAsync(settings);
        var done = await JobPoll.UntilAsync(restarted.Http, id, j => j.State is JobState.Succeeded or JobState.Failed && j.Notification.State != NotificationState.Pending);

        Assert.Equal((JobState.Succeeded, 2, NotificationState.Sent), (done.State, done.Attempts, done.Notification.State));
        Assert.Equal("survivor", Assert.Single(controlPlane.Accepted).TitleId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Combine("origin", ".packager", "staging")));
        Assert.Equal(id, (await File.ReadAllTextAsync(dir.Combine("origin", "survivor", PackagingPipeline.PublishStampFile))).Trim());
    }

    [Fact]
    public async Task A_crash_between_the_rename_and_its_bookkeeping_is_recorded_on_resume_without_publishing_again()
    {
        using var dir = new TempDirectory("pkg-crash");
        await using var controlPlane = await FakeControlPlane.StartAsync();
        var settings = PackagerHost.Settings(dir, controlPlane.Settings());
        var source = await TestMedia.VideoAsync(640, 360, 3);

        // A worker that claimed the job, packaged and published it, then died before recording the publication.
        var (store, db) = await Stores.SqliteAsync(dir, TimeProvider.System);
        string staged;
        await using (db)
        {
            await store.SubmitAsync("job-1", "crashed", "/gone/source.mp4", "default", null, null, CancellationToken.None);
            var claimed = await store.ClaimAsync("dead-worker", TimeSpan.FromMinutes(10), CancellationToken.None);
            var publisher = new OriginPublisher(dir.Combine("origin"), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            staged = publisher.StagingDirectory("job-1", claimed!.Attempts);
            var result = await Harness.Pipeline(Harness.Encoding()).RunAsync(new PackageRequest("crashed", source, Harness.Encoding().FindProfile(null)!, null), staged, (_, _) => { }, CancellationToken.None);
            Assert.True(await store.SaveResultAsync("job-1", "dead-worker", result, CancellationToken.None));
            Assert.Equal(PublishOutcome.Created, publisher.Publish(staged, "crashed", "job-1"));
        }

        var published = Directory.GetLastWriteTimeUtc(dir.Combine("origin", "crashed", "master.m3u8"));
        await using var host = await PackagerHost.StartAsync(settings);
        var done = await host.WaitAsync("job-1", j => j.Notification.State == NotificationState.Sent);

        // The source no longer exists: had the job been packaged again it would have failed.
        Assert.Equal((JobState.Succeeded, 2), (done.State, done.Attempts));
        Assert.Equal(published, Directory.GetLastWriteTimeUtc(dir.Combine("origin", "crashed", "master.m3u8")));
        Assert.Equal("crashed", Assert.Single(controlPlane.Accepted).TitleId);
    }
}
