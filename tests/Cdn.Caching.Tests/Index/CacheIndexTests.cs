using System.Text;
using Cdn.Caching.Index;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdn.Caching.Tests.Index;

public sealed class CacheIndexTests
{
    private static CacheIndexOptions Options(string dir) => new()
    {
        Directory = dir,
        MemoryBytes = 1 << 20,
        PageBytes = 64 << 10,
        HashTableBytes = 1 << 20,
    };

    private static CacheEntry Entry(string key, ulong body, long length) => new()
    {
        Key = Encoding.UTF8.GetBytes(key),
        BodyId = body,
        Length = length,
        ContentType = "video/mp4"u8.ToArray(),
        ETag = "\"abc\""u8.ToArray(),
        FreshnessLifetime = 3600,
    };

    [Fact]
    public void A_written_entry_reads_back_field_for_field()
    {
        using var dir = new TempDirectory();
        using var index = new CacheIndex(Options(dir.Path), NullLogger.Instance);
        var entry = Entry("cdn.test/a.m4s", 42, 1234) with { Status = 404, Flags = EntryFlags.Negative | EntryFlags.Pinned, Headers = "X-A: 1\r\n"u8.ToArray() };

        index.Upsert(7, entry);
        var read = index.TryGet(7);

        Assert.NotNull(read);
        Assert.Equal(entry.Key, read.Key);
        Assert.Equal(404, read.Status);
        Assert.Equal(EntryFlags.Negative | EntryFlags.Pinned, read.Flags);
        Assert.Equal(42UL, read.BodyId);
        Assert.Equal(1234, read.Length);
        Assert.Equal(entry.ETag, read.ETag);
        Assert.Equal(entry.Headers, read.Headers);
        Assert.Null(index.TryGet(8));
    }

    [Fact]
    public async Task Entries_survive_a_checkpoint_and_restart_and_deletes_too()
    {
        using var dir = new TempDirectory();
        using (var index = new CacheIndex(Options(dir.Path), NullLogger.Instance))
        {
            for (ulong i = 1; i <= 5000; i++)
            {
                index.Upsert(i, Entry($"cdn.test/{i}.m4s", i, (long)i));
            }

            index.Delete(3);
            Assert.True(await index.CheckpointAsync(full: true, CancellationToken.None));
            index.Upsert(9999, Entry("after-checkpoint", 1, 1));
        }

        using var recovered = new CacheIndex(Options(dir.Path), NullLogger.Instance);
        Assert.True(recovered.Recovered);
        Assert.Equal(4999L, recovered.TryGet(4999)!.Length);
        Assert.Equal("cdn.test/1.m4s", Encoding.UTF8.GetString(recovered.TryGet(1)!.Key));
        Assert.Null(recovered.TryGet(3));
        Assert.Null(recovered.TryGet(9999));
        Assert.Equal(4999, recovered.Scan().Count());
    }

    [Fact]
    public void Records_spilled_to_disk_are_still_found()
    {
        using var dir = new TempDirectory();
        using var index = new CacheIndex(Options(dir.Path), NullLogger.Instance);
        for (ulong i = 1; i <= 20_000; i++)
        {
            index.Upsert(i, Entry($"cdn.test/title/segment-{i:D8}.m4s", i, (long)i));
        }

        Assert.True(index.LogBytes > index.InMemoryBytes);
        Assert.Equal(1L, index.TryGet(1)!.Length);
        Assert.Equal(20_000, index.Scan().Count());
    }

    [Fact]
    public async Task A_checkpoint_log_only_between_full_ones_recovers_the_latest_state()
    {
        using var dir = new TempDirectory();
        using (var index = new CacheIndex(Options(dir.Path), NullLogger.Instance))
        {
            index.Upsert(1, Entry("one", 1, 1));
            Assert.True(await index.CheckpointAsync(full: true, CancellationToken.None));
            index.Upsert(2, Entry("two", 2, 2));
            index.Delete(1);
            Assert.True(await index.CheckpointAsync(full: false, CancellationToken.None));
        }

        using var recovered = new CacheIndex(Options(dir.Path), NullLogger.Instance);
        Assert.Null(recovered.TryGet(1));
        Assert.Equal(2L, recovered.TryGet(2)!.Length);
    }
}
