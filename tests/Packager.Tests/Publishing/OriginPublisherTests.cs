using Microsoft.Extensions.Logging.Abstractions;
using Packager.Packaging;
using Packager.Publishing;

namespace Packager.Tests.Publishing;

public sealed class OriginPublisherTests
{
    private static string Stage(OriginPublisher publisher, string jobId, string content)
    {
        var staging = publisher.StagingDirectory(jobId, 1);
        Directory.CreateDirectory(Path.Combine(staging, "360p"));
        File.WriteAllText(Path.Combine(staging, "master.m3u8"), content);
        File.WriteAllText(Path.Combine(staging, "360p", "index.m3u8"), content);
        return staging;
    }

    [Fact]
    public void A_first_publication_renames_the_staged_tree_into_place_with_the_job_stamp()
    {
        using var origin = new TempDirectory("pkg-pub");
        var publisher = new OriginPublisher(origin.Path, NullLogger.Instance);
        var staging = Stage(publisher, "job1", "v1");

        Assert.Equal(PublishOutcome.Created, publisher.Publish(staging, "title", "job1"));

        Assert.False(Directory.Exists(staging));
        Assert.Equal("v1", File.ReadAllText(origin.Combine("title", "master.m3u8")));
        Assert.True(publisher.IsPublishedBy("title", "job1"));
        Assert.False(publisher.IsPublishedBy("title", "job2"));
        Assert.Equal(["title/360p/index.m3u8", "title/master.m3u8"], PackagingPipeline.ListObjects(origin.Combine("title"), "title").Select(o => o.Path));
    }

    [Fact]
    public void A_republication_swaps_the_whole_tree_in_one_step_and_removes_the_old_one()
    {
        using var origin = new TempDirectory("pkg-pub");
        var publisher = new OriginPublisher(origin.Path, NullLogger.Instance);
        publisher.Publish(Stage(publisher, "job1", "v1"), "title", "job1");
        File.WriteAllText(origin.Combine("title", "only-in-v1.txt"), "old");

        var outcome = publisher.Publish(Stage(publisher, "job2", "v2"), "title", "job2");

        Assert.Equal(PublishOutcome.Replaced, outcome);
        Assert.Equal("v2", File.ReadAllText(origin.Combine("title", "master.m3u8")));
        Assert.False(File.Exists(origin.Combine("title", "only-in-v1.txt")), "files of the old version survived");
        Assert.True(publisher.IsPublishedBy("title", "job2"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(publisher.StagingRoot));
    }

    [Fact]
    public void Publishing_again_after_a_crash_past_the_rename_reports_it_as_already_published()
    {
        using var origin = new TempDirectory("pkg-pub");
        var publisher = new OriginPublisher(origin.Path, NullLogger.Instance);
        var staging = Stage(publisher, "job1", "v1");
        publisher.Publish(staging, "title", "job1");

        Assert.Equal(PublishOutcome.AlreadyPublished, publisher.Publish(staging, "title", "job1"));
        Assert.Throws<IOException>(() => publisher.Publish(staging, "title", "job9"));
    }

    [Fact]
    public void Earlier_runs_staging_is_discarded_but_the_current_one_is_kept()
    {
        using var origin = new TempDirectory("pkg-pub");
        var publisher = new OriginPublisher(origin.Path, NullLogger.Instance);
        Directory.CreateDirectory(publisher.StagingDirectory("job1", 1));
        Directory.CreateDirectory(publisher.StagingDirectory("job1", 2));
        Directory.CreateDirectory(publisher.StagingDirectory("job10", 1));

        publisher.DiscardEarlierRuns("job1", 2);

        Assert.False(Directory.Exists(publisher.StagingDirectory("job1", 1)));
        Assert.True(Directory.Exists(publisher.StagingDirectory("job1", 2)));
        Assert.True(Directory.Exists(publisher.StagingDirectory("job10", 1)));
    }
}
