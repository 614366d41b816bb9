using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Packager.Encoding;
using Packager.Jobs;
using Packager.Tests.Support;
using Packager.WatchFolder;

namespace Packager.Tests.WatchFolder;

public sealed class WatchFolderServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("pkg-watch");
    private readonly FakeTimeProvider _time = new();
    private JobStore _store = null!;
    private Cdn.Data.StateDatabase _db = null!;
    private WatchFolderService _service = null!;

    private string Drop => _dir.Combine("drop");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Drop);
        (_store, _db) = await Stores.SqliteAsync(_dir, _time);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WatchFolder:Path"] = Drop,
            ["WatchFolder:SettleTime"] = "00:00:10",
        }).Build();
        _service = new WatchFolderService(
            new LiveOptions<WatchFolderOptions>(config, "WatchFolder", NullLogger<LiveOptions<WatchFolderOptions>>.Instance),
            new LiveOptions<EncodingOptions>(config, "Encoding", NullLogger<LiveOptions<EncodingOptions>>.Instance),
            _store,
            new QueueSignal(),
            _time,
            NullLogger<WatchFolderService>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_dropped_file_becomes_a_job_once_it_stopped_changing()
    {
        await File.WriteAllTextAsync(Path.Combine(Drop, "Big Movie (2026).mov"), "part one");
        Assert.Empty(await _service.ScanAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(6));
        await File.AppendAllTextAsync(Path.Combine(Drop, "Big Movie (2026).mov"), " and part two"); // still uploading
        Assert.Empty(await _service.ScanAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await _service.ScanAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        var id = Assert.Single(await _service.ScanAsync(CancellationToken.None));

        var job = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(("Big-Movie-2026", "default", JobState.Queued), (job.TitleId, job.Profile, job.State));
        Assert.Equal(Path.Combine(Drop, "accepted", id + ".mov"), job.Source);
        Assert.True(File.Exists(job.Source));
        Assert.False(File.Exists(Path.Combine(Drop, "Big Movie (2026).mov")));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(await _service.ScanAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Files_without_a_usable_title_or_for_a_busy_title_are_moved_aside_with_the_reason()
    {
        await _store.SubmitAsync("existing", "busy", "/x.mp4", "default", null, null, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(Drop, "busy.mp4"), "x");
        await File.WriteAllTextAsync(Path.Combine(Drop, "---.mp4"), "x");
        await File.WriteAllTextAsync(Path.Combine(Drop, "notes.txt"), "not a video extension");
        await _service.ScanAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(await _service.ScanAsync(CancellationToken.None));

        Assert.Contains("already has a queued or running job", await File.ReadAllTextAsync(Path.Combine(Drop, "rejected", "busy.mp4.reason.txt")), StringComparison.Ordinal);
        Assert.Contains("gives no valid title id", await File.ReadAllTextAsync(Path.Combine(Drop, "rejected", "---.mp4.reason.txt")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Drop, "notes.txt")));
    }
}
